package dev.h2mux.client.cli;

import dev.h2mux.client.cli.CliOptions.DataPart;
import dev.h2mux.client.cli.CliOptions.HeaderArg;
import dev.h2mux.client.cli.CliOptions.Resolve;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The values of options, read as curl reads them; a bad one is a {@link UsageException}. */
final class OptionValues {
  private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private OptionValues() {}

  static String nonEmpty(String value) throws UsageException {
    if (value.isEmpty()) throw new UsageException("needs a file name");
    return value;
  }

  /** {@code Name: value}; {@code Name:} to leave the field out; {@code Name;} for empty. */
  static HeaderArg header(String value) throws UsageException {
    int colon = value.indexOf(':');
    int semicolon = value.indexOf(';');
    if (semicolon > 0
        && (colon < 0 || semicolon < colon)
        && value.substring(semicolon + 1).isBlank()) {
      return new HeaderArg(token(value.substring(0, semicolon), value), "");
    }
    if (colon <= 0) {
      throw new UsageException(
          "'" + value + "' is not 'Name: value' (or 'Name;' for an empty value)");
    }
    String name = token(value.substring(0, colon), value);
    String fieldValue = value.substring(colon + 1).strip();
    return new HeaderArg(name, fieldValue.isEmpty() ? null : fieldValue);
  }

  private static String token(String name, String whole) throws UsageException {
    String trimmed = name.strip();
    if (trimmed.isEmpty() || !trimmed.chars().allMatch(OptionValues::isTokenChar)) {
      throw new UsageException("'" + whole + "' has no valid field name before the ':'");
    }
    return trimmed;
  }

  private static boolean isTokenChar(int c) {
    return c > ' ' && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
  }

  static DataPart dataPart(String value, boolean stripNewlines) throws UsageException {
    if (!value.startsWith("@")) return new DataPart(value, null, false);
    if (value.length() == 1) throw new UsageException("'@' needs a file name after it");
    return new DataPart(null, Path.of(value.substring(1)), stripNewlines);
  }

  /** A count of redirects, or -1 for no limit, as curl's --max-redirs. */
  static int maxRedirs(String value) throws UsageException {
    if (value.equals("-1")) return -1;
    if (!value.matches("\\d{1,9}")) {
      throw new UsageException("expected a number of redirects or -1, got '" + value + "'");
    }
    return Integer.parseInt(value);
  }

  /** {@code [http://][user:password@]host[:port]}: curl assumes {@code http://}. */
  static URI proxy(String value) throws UsageException {
    String withScheme = value.contains("://") ? value : "http://" + value;
    try {
      URI uri = new URI(withScheme);
      if (!"http".equalsIgnoreCase(uri.getScheme())) {
        throw new UsageException("only http:// proxies are supported, got '" + value + "'");
      }
      if (uri.getHost() == null) throw new UsageException("'" + value + "' has no host");
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException("'" + value + "' is not a proxy URL: " + e.getReason());
    }
  }

  /** {@code host:port:address[,address]...}; an IPv6 address may be in brackets. */
  static Resolve resolve(String value) throws CliFailure {
    int first = value.indexOf(':');
    int second = first < 0 ? -1 : value.indexOf(':', first + 1);
    if (first <= 0 || second < 0) {
      throw badResolve(value, "not host:port:address[,address]...");
    }
    String host = value.substring(0, first);
    String port = value.substring(first + 1, second);
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw badResolve(value, "'" + port + "' is not a port");
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (String a : value.substring(second + 1).split(",", -1)) {
      String literal = a.strip();
      if (literal.startsWith("[") && literal.endsWith("]")) {
        literal = literal.substring(1, literal.length() - 1);
      }
      // Only literals: InetAddress would look a name up, and --resolve exists to avoid that.
      if (!IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
        throw badResolve(value, "'" + a + "' is not an IP address");
      }
      try {
        addresses.add(InetAddress.getByName(literal));
      } catch (UnknownHostException e) {
        throw badResolve(value, "'" + a + "' is not an IP address");
      }
    }
    return new Resolve(host, Integer.parseInt(port), List.copyOf(addresses));
  }

  /** curl reports a --resolve it can't parse as its exit code 49. */
  private static CliFailure badResolve(String entry, String why) {
    return new CliFailure(49, "Couldn't parse --resolve entry '" + entry + "': " + why);
  }

  /** Seconds, perhaps with a fraction; 0 means no limit, as in curl. */
  static Duration seconds(String value) throws UsageException {
    if (!SECONDS.matcher(value).matches() || Double.parseDouble(value) > 1e9) {
      throw new UsageException("expected a number of seconds (such as 2.5), got '" + value + "'");
    }
    double seconds = Double.parseDouble(value);
    return seconds == 0 ? null : Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
  }
}
