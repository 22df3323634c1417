package dev.h2mux.client.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Every option the CLI knows: its curl name, its one-letter form if curl has one, and whether it
 * takes a value. Long names may be abbreviated to any unambiguous prefix, as curl allows.
 */
enum Option {
  REQUEST("request", 'X', true),
  HEADER("header", 'H', true),
  DATA("data", 'd', true),
  DATA_BINARY("data-binary", '\0', true),
  DATA_RAW("data-raw", '\0', true),
  OUTPUT("output", 'o', true),
  REMOTE_NAME("remote-name", 'O', false),
  REMOTE_NAME_ALL("remote-name-all", '\0', false),
  INCLUDE("include", 'i', false),
  HEAD("head", 'I', false),
  DUMP_HEADER("dump-header", 'D', true),
  FAIL("fail", 'f', false),
  FAIL_WITH_BODY("fail-with-body", '\0', false),
  WRITE_OUT("write-out", 'w', true),
  USER("user", 'u', true),
  USER_AGENT("user-agent", 'A', true),
  REFERER("referer", 'e', true),
  VERBOSE("verbose", 'v', false),
  SILENT("silent", 's', false),
  SHOW_ERROR("show-error", 'S', false),
  INSECURE("insecure", 'k', false),
  HTTP2_PRIOR_KNOWLEDGE("http2-prior-knowledge", '\0', false),
  HTTP2("http2", '\0', false),
  HTTP1_1("http1.1", '\0', false),
  PARALLEL("parallel", 'Z', false),
  LOCATION("location", 'L', false),
  MAX_REDIRS("max-redirs", '\0', true),
  PROXY("proxy", 'x', true),
  COMPRESSED("compressed", '\0', false),
  CACERT("cacert", '\0', true),
  RESOLVE("resolve", '\0', true),
  CONNECT_TIMEOUT("connect-timeout", '\0', true),
  MAX_TIME("max-time", 'm', true),
  CONFIG("config", 'K', true),
  URL("url", '\0', true),
  HELP("help", 'h', false);

  final String longName;
  final char shortName;
  final boolean takesValue;

  Option(String longName, char shortName, boolean takesValue) {
    this.longName = longName;
    this.shortName = shortName;
    this.takesValue = takesValue;
  }

  /** The option with this letter, or null. */
  static Option ofShort(char letter) {
    for (Option o : values()) if (o.shortName == letter) return o;
    return null;
  }

  /**
   * The option with this long name (without dashes) or an unambiguous prefix of one.
   *
   * @param shown the name as the user wrote it, for the message
   * @throws UsageException if no option or more than one matches
   */
  static Option ofLong(String name, String shown) throws UsageException {
    List<Option> prefixed = new ArrayList<>();
    for (Option o : values()) {
      if (o.longName.equals(name)) return o;
      if (!name.isEmpty() && o.longName.startsWith(name)) prefixed.add(o);
    }
    if (prefixed.size() == 1) return prefixed.get(0);
    throw new UsageException(
        "option " + shown + ": " + (prefixed.isEmpty() ? "is unknown" : "is ambiguous"));
  }
}
