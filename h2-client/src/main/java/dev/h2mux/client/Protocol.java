package dev.h2mux.client;

/** The protocol that carried an exchange. */
public enum Protocol {
  /** HTTP/1.1 (RFC 9112). */
  HTTP_1_1("HTTP/1.1"),
  /** HTTP/2 (RFC 9113), over TLS (h2) or cleartext (h2c). */
  HTTP_2("HTTP/2");

  private final String text;

  Protocol(String text) {
    this.text = text;
  }

  /** The protocol as a status line shows it: {@code HTTP/2} or {@code HTTP/1.1}. */
  @Override
  public String toString() {
    return text;
  }
}
