package dev.h2mux.client.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code -K} file in curl's config syntax: one option per line, written {@code --name value},
 * {@code -n value}, or {@code name value} / {@code name = value} / {@code name: value} (without
 * dashes the name may be followed by {@code =} or {@code :}). A value holding spaces is quoted, and
 * within quotes {@code \\ \" \t \n \r \v} are escapes and a backslash before any other character is
 * dropped. A line whose first non-blank character is {@code #} is a comment. {@code url = ...}
 * gives a URL.
 *
 * <p>Unlike curl, which warns and goes on, what can't be read is an error naming the file and line:
 * a misspelt option silently ignored would change what the command does.
 */
final class ConfigFile {
  /**
   * The most a config file may hold, so that {@code -K /dev/zero} fails rather than fills memory.
   */
  static final int MAX_SIZE = 1 << 20;

  /**
   * One line's option.
   *
   * @param option the name as written: {@code silent}, {@code --silent} or {@code -s}
   * @param value the value, unquoted; null if the line has none
   * @param where {@code file:line}, for messages
   */
  record Entry(String option, String value, String where) {
    boolean dashed() {
      return option.startsWith("-");
    }
  }

  private ConfigFile() {}

  /**
   * Splits {@code text} into entries.
   *
   * @param name the file's name as given, for messages
   * @throws UsageException for a line that isn't an option and its value
   */
  static List<Entry> parse(String name, String text) throws UsageException {
    List<Entry> entries = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String where = name + ":" + (n + 1);
      String line = lines[n];
      int i = skipBlanks(line, 0);
      if (i == line.length() || line.charAt(i) == '#') continue;
      boolean dashed = line.charAt(i) == '-';
      int start = i;
      while (i < line.length()
          && !isBlank(line.charAt(i))
          && (dashed || (line.charAt(i) != '=' && line.charAt(i) != ':'))) {
        i++;
      }
      String option = line.substring(start, i);
      while (i < line.length()
          && (isBlank(line.charAt(i))
              || (!dashed && (line.charAt(i) == '=' || line.charAt(i) == ':')))) {
        i++;
      }
      String value = null;
      if (i < line.length()) {
        int end;
        if (line.charAt(i) == '"') {
          StringBuilder unquoted = new StringBuilder();
          end = unquote(line, i + 1, unquoted, where);
          value = unquoted.toString();
        } else {
          end = i;
          while (end < line.length() && !isBlank(line.charAt(end))) end++;
          value = line.substring(i, end);
        }
        if (skipBlanks(line, end) != line.length()) {
          throw new UsageException(
              where
                  + ": unexpected text after the value of '"
                  + option
                  + "': put a value with spaces in double quotes");
        }
      }
      entries.add(new Entry(option, value, where));
    }
    return entries;
  }

  /** Reads a quoted value from {@code from} (after the quote); returns the index past its end. */
  private static int unquote(String line, int from, StringBuilder out, String where)
      throws UsageException {
    for (int i = from; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') return i + 1;
      if (c == '\\' && i + 1 < line.length()) {
        char e = line.charAt(++i);
        out.append(
            switch (e) {
              case 't' -> '\t';
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 'v' -> '\u000b';
              default -> e; // \\ and \" give themselves; any other escape drops the backslash
            });
      } else {
        out.append(c);
      }
    }
    throw new UsageException(where + ": the quoted value has no closing '\"'");
  }

  private static int skipBlanks(String line, int i) {
    while (i < line.length() && isBlank(line.charAt(i))) i++;
    return i;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
