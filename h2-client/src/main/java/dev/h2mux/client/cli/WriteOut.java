package dev.h2mux.client.cli;

import dev.h2mux.client.ExchangeInfo;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Function;

/**
 * The {@code -w} format, written after each transfer as curl does: {@code %{name}} is a variable
 * (an unknown one prints nothing and a warning on standard error), {@code %header{name}} a response
 * field, {@code %{json}} every variable as one JSON object, {@code %{stderr}} and {@code %{stdout}}
 * switch where the rest goes, {@code %%} is {@code %}; {@code \n}, {@code \r} and {@code \t} are
 * control characters. Anything else, including a {@code %} or {@code \} that starts nothing, is
 * written as it stands.
 */
final class WriteOut {
  /** How a variable's value is written. */
  private enum Kind {
    /** A number. */
    NUMBER,
    /** Seconds with six decimals. */
    TIME,
    /** A number in at least three digits: {@code 000} when there was no response. */
    CODE,
    /** Text; JSON null when empty, as curl does. */
    TEXT
  }

  /** The variables, with how each is read from the transfer. */
  private enum Variable {
    CONTENT_TYPE(Kind.TEXT, t -> t.headers.get("content-type")),
    ERRORMSG(Kind.TEXT, t -> t.errorMessage),
    EXITCODE(Kind.NUMBER, t -> t.exitCode),
    FILENAME_EFFECTIVE(Kind.TEXT, t -> t.filename),
    HTTP_CODE(Kind.CODE, t -> t.status),
    HTTP_VERSION(Kind.TEXT, TransferInfo::httpVersion),
    LOCAL_IP(Kind.TEXT, t -> ip(local(t))),
    LOCAL_PORT(Kind.NUMBER, t -> local(t) == null ? 0 : local(t).getPort()),
    METHOD(Kind.TEXT, t -> t.method),
    NUM_CONNECTS(Kind.NUMBER, t -> t.exchange == null ? 0 : t.exchange.connectionsOpened()),
    NUM_HEADERS(Kind.NUMBER, t -> t.headers.size()),
    NUM_REDIRECTS(Kind.NUMBER, t -> t.numRedirects),
    REDIRECT_URL(Kind.TEXT, t -> t.redirectUrl),
    REFERER(Kind.TEXT, t -> t.referer),
    REMOTE_IP(Kind.TEXT, t -> ip(remote(t))),
    REMOTE_PORT(Kind.NUMBER, t -> remote(t) == null ? 0 : remote(t).getPort()),
    RESPONSE_CODE(Kind.CODE, t -> t.status),
    SCHEME(Kind.TEXT, WriteOut::scheme),
    SIZE_DOWNLOAD(Kind.NUMBER, t -> t.sizeDownload),
    SIZE_HEADER(Kind.NUMBER, t -> t.sizeHeader),
    SIZE_REQUEST(Kind.NUMBER, t -> t.sizeRequest),
    SIZE_UPLOAD(Kind.NUMBER, t -> t.sizeUpload),
    SPEED_DOWNLOAD(Kind.NUMBER, t -> speed(t.sizeDownload, t)),
    SPEED_UPLOAD(Kind.NUMBER, t -> speed(t.sizeUpload, t)),
    TIME_APPCONNECT(Kind.TIME, t -> t.seconds(ExchangeInfo::timeToTls)),
    TIME_CONNECT(Kind.TIME, t -> t.seconds(ExchangeInfo::timeToConnect)),
    TIME_NAMELOOKUP(Kind.TIME, t -> t.seconds(ExchangeInfo::timeToNameLookup)),
    TIME_PRETRANSFER(Kind.TIME, t -> t.seconds(ExchangeInfo::timeToSend)),
    TIME_REDIRECT(Kind.TIME, t -> t.seconds(ExchangeInfo::redirectTime)),
    TIME_STARTTRANSFER(Kind.TIME, t -> t.seconds(ExchangeInfo::timeToFirstByte)),
    TIME_TOTAL(Kind.TIME, TransferInfo::totalSeconds),
    URL(Kind.TEXT, t -> t.url),
    URL_EFFECTIVE(Kind.TEXT, t -> t.urlEffective),
    URLNUM(Kind.NUMBER, t -> t.urlNum);

    final Kind kind;
    final Function<TransferInfo, Object> read;
    final String key = name().toLowerCase(Locale.ROOT);

    Variable(Kind kind, Function<TransferInfo, Object> read) {
      this.kind = kind;
      this.read = read;
    }

    static Variable named(String name) {
      for (Variable v : values()) if (v.key.equals(name)) return v;
      return null;
    }
  }

  private WriteOut() {}

  /** Writes {@code format} for {@code transfer}, starting on {@code out}. */
  static void write(String format, TransferInfo transfer, PrintStream out, PrintStream err) {
    PrintStream target = out;
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      char next = i + 1 < format.length() ? format.charAt(i + 1) : '\0';
      if (c == '%' && next == '%') {
        text.append('%');
        i += 2;
      } else if (c == '%' && next == '{' && format.indexOf('}', i) > 0) {
        int end = format.indexOf('}', i);
        String name = format.substring(i + 2, end);
        i = end + 1;
        switch (name) {
          case "stdout", "stderr" -> {
            target.print(text);
            text.setLength(0);
            target = name.equals("stdout") ? out : err;
          }
          case "json" -> json(text, transfer);
          default -> {
            Variable v = Variable.named(name);
            if (v != null) text.append(plain(v, transfer));
            else err.println("h2-client: unknown --write-out variable: '" + name + "'");
          }
        }
      } else if (c == '%' && format.startsWith("header{", i + 1) && format.indexOf('}', i) > 0) {
        int end = format.indexOf('}', i);
        String name = format.substring(i + "%header{".length(), end);
        text.append(String.join(", ", transfer.headers.all(name)));
        i = end + 1;
      } else if (c == '\\' && (next == 'n' || next == 'r' || next == 't')) {
        text.append(next == 'n' ? '\n' : next == 'r' ? '\r' : '\t');
        i += 2;
      } else {
        text.append(c);
        i++;
      }
    }
    target.print(text);
    target.flush();
  }

  private static String plain(Variable v, TransferInfo t) {
    Object value = v.read.apply(t);
    return switch (v.kind) {
      case TIME -> String.format(Locale.ROOT, "%.6f", (Double) value);
      case CODE -> String.format(Locale.ROOT, "%03d", (Integer) value);
      case NUMBER -> String.valueOf(value);
      case TEXT -> value == null ? "" : value.toString();
    };
  }

  /** Every variable, by name, as curl's {@code %{json}} does. */
  private static void json(StringBuilder sb, TransferInfo t) {
    sb.append('{');
    Variable[] sorted = Variable.values();
    Arrays.sort(sorted, Comparator.comparing(v -> v.key));
    for (int i = 0; i < sorted.length; i++) {
      Variable v = sorted[i];
      if (i > 0) sb.append(',');
      sb.append('"').append(v.key).append("\":");
      Object value = v.read.apply(t);
      switch (v.kind) {
        case TIME -> sb.append(String.format(Locale.ROOT, "%.6f", (Double) value));
        case CODE, NUMBER -> sb.append(value);
        case TEXT -> {
          if (value == null || value.toString().isEmpty()) sb.append("null");
          else quote(sb, value.toString());
        }
      }
    }
    sb.append('}');
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }

  private static long speed(long bytes, TransferInfo t) {
    double seconds = t.totalSeconds();
    return seconds > 0 ? (long) (bytes / seconds) : 0;
  }

  private static InetSocketAddress remote(TransferInfo t) {
    return address(t.exchange == null ? null : t.exchange.remoteAddress());
  }

  private static InetSocketAddress local(TransferInfo t) {
    return address(t.exchange == null ? null : t.exchange.localAddress());
  }

  private static InetSocketAddress address(InetSocketAddress a) {
    return a == null || a.getAddress() == null ? null : a;
  }

  private static String ip(InetSocketAddress a) {
    return a == null ? null : a.getAddress().getHostAddress();
  }

  /** {@code HTTP} or {@code HTTPS}, uppercase as curl writes it. */
  private static String scheme(TransferInfo t) {
    try {
      String scheme = new URI(t.urlEffective).getScheme();
      return scheme == null ? null : scheme.toUpperCase(Locale.ROOT);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }
}
