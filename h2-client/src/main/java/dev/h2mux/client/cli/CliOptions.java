package dev.h2mux.client.cli;

import dev.h2mux.client.ConnectionMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed command line of {@link Main}, curl-style: short options may take their value attached
 * ({@code -XPOST}) or as the next argument; long options as {@code --opt value} or {@code
 * --opt=value}.
 */
record CliOptions(
    String method,
    List<String[]> headers,
    String data,
    boolean dataFromFile,
    boolean dataBinary,
    List<String> outputs,
    boolean include,
    boolean verbose,
    boolean silent,
    boolean insecure,
    ConnectionMode mode,
    boolean parallel,
    Duration maxTime,
    boolean help,
    List<String> urls) {

  static final String USAGE =
      """
      Usage: h2-client [options] URL...
        -X, --request METHOD     request method (default GET, or POST with -d)
        -H, --header 'N: v'      add a request header (repeatable)
        -d, --data DATA|@FILE    send DATA, or the content of FILE with CR/LF removed
            --data-binary D|@F   send DATA or FILE as is
        -o, --output FILE        write the body to FILE (one -o per URL, in order)
        -i, --include            print the status line and headers before the body
        -v, --verbose            trace connections, heads and HTTP/2 frames to stderr
        -s, --silent             no progress meter, no error message
        -k, --insecure           accept any TLS certificate and host name
            --http2-prior-knowledge  HTTP/2 without upgrade for http:// (the default)
            --http2              h2c Upgrade for http://, ALPN h2 for https://
            --http1.1            HTTP/1.1 only
        -Z, --parallel           send all URLs at once, over one connection per origin
            --max-time SECONDS   give up on a transfer after this long
        -h, --help               this help
      """;

  static CliOptions parse(String[] args) throws UsageException {
    String method = null;
    List<String[]> headers = new ArrayList<>();
    String data = null;
    boolean dataFromFile = false;
    boolean dataBinary = false;
    List<String> outputs = new ArrayList<>();
    boolean include = false;
    boolean verbose = false;
    boolean silent = false;
    boolean insecure = false;
    ConnectionMode mode = ConnectionMode.PRIOR_KNOWLEDGE;
    boolean parallel = false;
    Duration maxTime = null;
    boolean help = false;
    List<String> urls = new ArrayList<>();
    boolean endOfOptions = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (endOfOptions || !arg.startsWith("-") || arg.equals("-")) {
        urls.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        endOfOptions = true;
        continue;
      }
      String name;
      String attached = null;
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        name = eq < 0 ? arg : arg.substring(0, eq);
        if (eq >= 0) attached = arg.substring(eq + 1);
      } else {
        name = arg.substring(0, 2);
        if (arg.length() > 2) attached = arg.substring(2);
      }
      switch (name) {
        case "-X", "--request" -> {
          String value = value(name, attached, args, ++i);
          if (attached != null) i--;
          method = value;
        }
        case "-H", "--header" -> {
          String value = value(name, attached, args, ++i);
          if (attached != null) i--;
          int colon = value.indexOf(':');
          if (colon <= 0) throw new UsageException("header '" + value + "' is not 'Name: value'");
          headers.add(
              new String[] {value.substring(0, colon).trim(), value.substring(colon + 1).trim()});
        }
        case "-d", "--data", "--data-binary" -> {
          String value = value(name, attached, args, ++i);
          if (attached != null) i--;
          dataBinary = name.equals("--data-binary");
          dataFromFile = value.startsWith("@");
          data = dataFromFile ? value.substring(1) : value;
          if (dataFromFile && data.isEmpty()) throw new UsageException("-d @ needs a file name");
        }
        case "-o", "--output" -> {
          String value = value(name, attached, args, ++i);
          if (attached != null) i--;
          outputs.add(value);
        }
        case "--max-time" -> {
          String value = value(name, attached, args, ++i);
          if (attached != null) i--;
          try {
            double seconds = Double.parseDouble(value);
            if (!(seconds > 0) || Double.isInfinite(seconds)) throw new NumberFormatException();
            maxTime = Duration.ofNanos((long) (seconds * 1e9));
          } catch (NumberFormatException e) {
            throw new UsageException(
                "--max-time needs a positive number of seconds, got '" + value + "'");
          }
        }
        case "--http2-prior-knowledge" -> mode = ConnectionMode.PRIOR_KNOWLEDGE;
        case "--http2" -> mode = ConnectionMode.UPGRADE;
        case "--http1.1" -> mode = ConnectionMode.HTTP_1_1;
        case "--include", "--verbose", "--silent", "--insecure", "--parallel", "--help" -> {
          switch (name) {
            case "--include" -> include = true;
            case "--verbose" -> verbose = true;
            case "--silent" -> silent = true;
            case "--insecure" -> insecure = true;
            case "--parallel" -> parallel = true;
            default -> help = true;
          }
        }
        default -> {
          if (arg.startsWith("--")) throw new UsageException("unknown option " + name);
          // bundled flags such as -sSi or -ik
          for (char c : arg.substring(1).toCharArray()) {
            switch (c) {
              case 'i' -> include = true;
              case 'v' -> verbose = true;
              case 's', 'S' -> silent = c == 's' || silent;
              case 'k' -> insecure = true;
              case 'Z' -> parallel = true;
              case 'h' -> help = true;
              default -> throw new UsageException("unknown option -" + c);
            }
          }
        }
      }
    }
    if (!help && urls.isEmpty()) throw new UsageException("no URL specified");
    if (outputs.size() > urls.size() && !help) {
      throw new UsageException("more -o options than URLs");
    }
    return new CliOptions(
        method,
        List.copyOf(headers),
        data,
        dataFromFile,
        dataBinary,
        List.copyOf(outputs),
        include,
        verbose,
        silent,
        insecure,
        mode,
        parallel,
        maxTime,
        help,
        List.copyOf(urls));
  }

  private static String value(String name, String attached, String[] args, int next)
      throws UsageException {
    if (attached != null) return attached;
    if (next >= args.length) throw new UsageException("option " + name + " needs a value");
    return args[next];
  }

  /** The method to send: -X, else POST with data, else GET. */
  String effectiveMethod() {
    return method != null ? method : data != null ? "POST" : "GET";
  }
}
