package dev.h2mux.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * An ordered list of HTTP fields (header or trailer lines), as they travel on the wire.
 *
 * <p>Names are compared case-insensitively and stored lowercase, which is the form HTTP/2 requires
 * (RFC 9113 §8.2.1). A name may occur more than once; {@link #get} returns the first value and
 * {@link #all} every value in order. Instances are mutable until {@link #freeze()} is called, after
 * which every mutator throws {@link UnsupportedOperationException}. Not thread-safe while mutable.
 */
public final class HttpFields {
  private static final HttpFields EMPTY = new HttpFields(0).freeze();

  private final ArrayList<String> namesAndValues;
  private boolean frozen;

  /** Creates an empty, mutable list. */
  public HttpFields() {
    this(8);
  }

  private HttpFields(int capacity) {
    namesAndValues = new ArrayList<>(capacity * 2);
  }

  /**
   * Returns an empty, frozen list.
   *
   * @return the one empty list, shared
   */
  public static HttpFields empty() {
    return EMPTY;
  }

  /**
   * Returns a mutable list holding the given name/value pairs.
   *
   * @param namesAndValues name, value, name, value, ...
   * @return a new list of the fields, in the order given
   * @throws IllegalArgumentException if an odd number of strings is given
   */
  public static HttpFields of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("expected name/value pairs, got an odd count");
    }
    HttpFields fields = new HttpFields(namesAndValues.length / 2);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return fields;
  }

  /**
   * Returns a mutable copy of this list.
   *
   * @return the copy, which does not change with this list
   */
  public HttpFields copy() {
    HttpFields copy = new HttpFields(size());
    copy.namesAndValues.addAll(namesAndValues);
    return copy;
  }

  /**
   * Appends a field.
   *
   * @param name the field's name, stored lowercase
   * @param value the field's value
   * @return this list
   * @throws UnsupportedOperationException once the list is frozen
   */
  public HttpFields add(String name, String value) {
    checkMutable();
    namesAndValues.add(lowercase(Objects.requireNonNull(name, "name")));
    namesAndValues.add(Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Adds every field of {@code other}, in its order, after the fields of this list.
   *
   * @param other the fields to add; their names are lowercase already
   * @return this list
   * @throws UnsupportedOperationException if this list is frozen
   */
  public HttpFields addAll(HttpFields other) {
    checkMutable();
    // One by one: ArrayList.addAll would copy the other list into an array first.
    ArrayList<String> from = other.namesAndValues;
    namesAndValues.ensureCapacity(namesAndValues.size() + from.size());
    for (int i = 0; i < from.size(); i++) namesAndValues.add(from.get(i));
    return this;
  }

  /**
   * Replaces every field named {@code name} by one field with this value.
   *
   * @param name the field's name, compared case-insensitively
   * @param value the one value it keeps
   * @return this list
   * @throws UnsupportedOperationException once the list is frozen
   */
  public HttpFields set(String name, String value) {
    remove(name);
    return add(name, value);
  }

  /**
   * Removes every field named {@code name}.
   *
   * @param name the field's name, compared case-insensitively
   * @return true if something was removed
   * @throws UnsupportedOperationException once the list is frozen
   */
  public boolean remove(String name) {
    checkMutable();
    boolean removed = false;
    for (int i = namesAndValues.size() - 2; i >= 0; i -= 2) {
      if (namesAndValues.get(i).equalsIgnoreCase(name)) {
        namesAndValues.remove(i + 1);
        namesAndValues.remove(i);
        removed = true;
      }
    }
    return removed;
  }

  /**
   * Returns the first value of the field named {@code name}, or null.
   *
   * @param name the field's name, compared case-insensitively
   * @return the value, or null if there is no such field
   */
  public String get(String name) {
    for (int i = 0; i < namesAndValues.size(); i += 2) {
      if (namesAndValues.get(i).equalsIgnoreCase(name)) {
        return namesAndValues.get(i + 1);
      }
    }
    return null;
  }

  /**
   * Returns the first value of the field named {@code name}, if any.
   *
   * @param name the field's name, compared case-insensitively
   * @return the value, or empty if there is no such field
   */
  public Optional<String> first(String name) {
    return Optional.ofNullable(get(name));
  }

  /**
   * Returns every value of the field named {@code name}, in order; empty if none.
   *
   * @param name the field's name, compared case-insensitively
   * @return the values, unmodifiable
   */
  public List<String> all(String name) {
    List<String> values = new ArrayList<>(2);
    for (int i = 0; i < namesAndValues.size(); i += 2) {
      if (namesAndValues.get(i).equalsIgnoreCase(name)) {
        values.add(namesAndValues.get(i + 1));
      }
    }
    return Collections.unmodifiableList(values);
  }

  /**
   * Returns true if a field named {@code name} is present.
   *
   * @param name the field's name, compared case-insensitively
   * @return whether there is at least one such field
   */
  public boolean contains(String name) {
    return get(name) != null;
  }

  /**
   * Returns the number of fields.
   *
   * @return how many fields, repeated names counted each time
   */
  public int size() {
    return namesAndValues.size() / 2;
  }

  /**
   * Returns true if there are no fields.
   *
   * @return whether the list is empty
   */
  public boolean isEmpty() {
    return namesAndValues.isEmpty();
  }

  /**
   * Returns the (lowercase) name of the field at {@code index}.
   *
   * @param index from 0 to {@link #size()} - 1
   * @return the name
   * @throws IndexOutOfBoundsException outside that range
   */
  public String name(int index) {
    return namesAndValues.get(index * 2);
  }

  /**
   * Returns the value of the field at {@code index}.
   *
   * @param index from 0 to {@link #size()} - 1
   * @return the value
   * @throws IndexOutOfBoundsException outside that range
   */
  public String value(int index) {
    return namesAndValues.get(index * 2 + 1);
  }

  /**
   * Calls {@code action} with each name and value, in order.
   *
   * @param action called once per field with its lowercase name and its value
   */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < namesAndValues.size(); i += 2) {
      action.accept(namesAndValues.get(i), namesAndValues.get(i + 1));
    }
  }

  /**
   * Makes this list immutable and returns it.
   *
   * @return this list, now frozen
   */
  public HttpFields freeze() {
    frozen = true;
    return this;
  }

  /**
   * Returns true once {@link #freeze()} was called.
   *
   * @return whether the list is frozen
   */
  public boolean isFrozen() {
    return frozen;
  }

  private void checkMutable() {
    if (frozen) {
      throw new UnsupportedOperationException("these fields are frozen");
    }
  }

  private static String lowercase(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HttpFields that && namesAndValues.equals(that.namesAndValues);
  }

  @Override
  public int hashCode() {
    return namesAndValues.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < namesAndValues.size(); i += 2) {
      if (i > 0) sb.append(", ");
      sb.append(namesAndValues.get(i)).append(": ").append(namesAndValues.get(i + 1));
    }
    return sb.append(']').toString();
  }
}
