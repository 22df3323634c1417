package dev.h2mux.client.cli;

import dev.h2mux.client.ConnectionMode;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The parsed command line of {@link Main} (see {@link OptionParser} for the syntax and {@link
 * Usage} for the options).
 *
 * @param method {@code -X}, or null
 * @param head {@code -I}: a HEAD request whose head is the output
 * @param headers {@code -H}, in order
 * @param data the {@code -d}, {@code --data-binary} and {@code --data-raw} parts, joined with
 *     {@code &} as curl does
 * @param outputs {@code -o} and {@code -O}, in order: the n-th goes with the n-th URL
 * @param remoteNameAll {@code --remote-name-all}: {@code -O} for every URL without an output
 * @param dumpHeader {@code -D}: a file name, {@code -} for standard output, or null
 * @param fail {@code -f} or {@code --fail-with-body}
 * @param writeOut the {@code -w} format (a file's content for {@code @file}), or null
 * @param user {@code -u user[:password]}, or null
 * @param userAgent {@code -A}, or null for the default
 * @param referer {@code -e URL}, or null
 * @param autoReferer {@code -e ';auto'}: a followed redirect sends the previous URL as referer
 * @param location {@code -L}: follow redirects
 * @param maxRedirs {@code --max-redirs}: how many, 50 by default as in curl, -1 for no limit
 * @param proxy {@code -x}: the HTTP proxy, or null
 * @param compressed {@code --compressed}: ask for gzip or deflate and decode it
 * @param cacert {@code --cacert}: the PEM file of the certificates to trust, or null
 * @param resolves {@code --resolve}: addresses to use instead of looking hosts up
 * @param connectTimeout {@code --connect-timeout}, or null for the client's default
 * @param maxTime {@code -m}: the longest one transfer may take, or null
 */
record CliOptions(
    String method,
    boolean head,
    List<HeaderArg> headers,
    List<DataPart> data,
    List<OutputArg> outputs,
    boolean remoteNameAll,
    boolean include,
    String dumpHeader,
    FailMode fail,
    String writeOut,
    String user,
    String userAgent,
    String referer,
    boolean autoReferer,
    boolean verbose,
    boolean silent,
    boolean showError,
    boolean insecure,
    ConnectionMode mode,
    boolean parallel,
    boolean location,
    int maxRedirs,
    URI proxy,
    boolean compressed,
    Path cacert,
    List<Resolve> resolves,
    Duration connectTimeout,
    Duration maxTime,
    boolean help,
    List<String> urls) {

  /** What {@code -f} makes of an HTTP error status (400 or more). */
  enum FailMode {
    /** The body is written and the exit code is 0, curl's default. */
    OFF,
    /** {@code -f}: no body, exit code 22. */
    FAIL,
    /** {@code --fail-with-body}: the body is written, exit code 22. */
    WITH_BODY
  }

  /**
   * One {@code -H}: {@code value} null means "do not send this field" ({@code -H 'Name:'}), which
   * also suppresses a field the CLI would add itself, such as {@code user-agent}.
   */
  record HeaderArg(String name, String value) {}

  /**
   * One piece of request body: {@code text}, or the content of {@code file}; {@code stripNewlines}
   * for {@code -d @file}, which drops carriage returns and newlines as curl does.
   */
  record DataPart(String text, Path file, boolean stripNewlines) {}

  /** One {@code --resolve host:port:address[,address]...}. */
  record Resolve(String host, int port, List<InetAddress> addresses) {}

  /** One {@code -o FILE} ({@code file} set) or {@code -O} ({@code file} null). */
  record OutputArg(String file) {
    boolean remoteName() {
      return file == null;
    }
  }

  /** The method to send: -X, else HEAD with -I, else POST with data, else GET. */
  String effectiveMethod() {
    if (method != null) return method;
    if (head) return "HEAD";
    return data.isEmpty() ? "GET" : "POST";
  }

  /** Whether the CLI writes the response head before the body on the output (-i, -I). */
  boolean headOnOutput() {
    return include || head;
  }

  /** The output for URL number {@code index}: its -o or -O, -O for all, or null (stdout). */
  OutputArg output(int index) {
    if (index < outputs.size()) return outputs.get(index);
    return remoteNameAll ? new OutputArg(null) : null;
  }

  /** Whether error messages are printed: not with -s unless -S. */
  boolean showsErrors() {
    return !silent || showError;
  }
}
