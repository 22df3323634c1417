package dev.h2mux.client.cli;

import dev.h2mux.client.ConnectTimeoutException;
import dev.h2mux.client.EmptyResponseException;
import dev.h2mux.client.Http2ClientException;
import dev.h2mux.client.ProxyTunnelException;
import dev.h2mux.client.RedirectException;
import dev.h2mux.client.RequestBodyException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;

/**
 * curl's exit code and message for a failed transfer, decided by the exception's type: 3 bad
 * redirect location, 6 host not resolved, 7 connect failed, 16 HTTP/2 error, 23 write error, 26
 * request body unreadable, 28 timeout, 35 TLS failure, 47 too many redirects, 52 empty reply, 56
 * receive failure (or a proxy that refused the tunnel), 60 certificate not trusted, 61 bad content
 * encoding, 65 a body that cannot be sent again for a redirect.
 */
final class TransferErrors {
  private TransferErrors() {}

  /** Writing the output failed (exit 23), as opposed to receiving. */
  static final class WriteFailure extends IOException {
    WriteFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * @param uri the URL that failed
   * @param proxy the proxy the transfer went through, or null: a failed connect names it
   * @param elapsedMillis since the transfer started
   */
  static CliFailure of(IOException e, URI uri, URI proxy, long elapsedMillis) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof WriteFailure) {
      return new CliFailure(23, "Failure writing output to destination: " + message);
    }
    if (e instanceof RedirectException r) {
      return switch (r.reason()) {
        case TOO_MANY -> new CliFailure(47, "Maximum redirects followed: " + message);
        case BODY_NOT_REPLAYABLE -> new CliFailure(65, "Send failure: " + message);
        case BAD_LOCATION -> new CliFailure(3, "URL using bad/illegal format: " + message);
      };
    }
    if (e instanceof ProxyTunnelException p) {
      return new CliFailure(56, "CONNECT tunnel failed, response " + p.status() + ": " + message);
    }
    if (e instanceof RequestBodyException) {
      return new CliFailure(26, "Failed to read the request body: " + message);
    }
    if (e instanceof ZipException) {
      return new CliFailure(61, "Unrecognized or bad content encoding: " + message);
    }
    if (e instanceof UnknownHostException) {
      return new CliFailure(6, "Could not resolve host: " + uri.getHost());
    }
    if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
      return new CliFailure(7, failedToConnect(uri, proxy, elapsedMillis) + systemReason(e));
    }
    if (e instanceof EmptyResponseException) {
      return new CliFailure(52, "Empty reply from server");
    }
    if (e instanceof ConnectTimeoutException timeout) {
      return new CliFailure(28, connectTimedOut(timeout.step(), uri, proxy, elapsedMillis));
    }
    if (e instanceof SocketTimeoutException) {
      return new CliFailure(28, "Operation timed out after " + elapsedMillis + " ms: " + message);
    }
    if (e instanceof InterruptedIOException) {
      return new CliFailure(28, "Operation cancelled after " + elapsedMillis + " ms: " + message);
    }
    if (e instanceof SSLException) {
      return untrusted(e)
          ? new CliFailure(60, "SSL certificate problem: " + message)
          : new CliFailure(35, "SSL connect error: " + message);
    }
    if (e instanceof Http2ClientException h && h.errorCode() != null) {
      return new CliFailure(16, "HTTP/2 error: " + message);
    }
    return new CliFailure(56, "Failure when receiving data from the peer: " + message);
  }

  /** {@code Failed to connect to HOST port PORT after N ms: }, naming the proxy if there is one. */
  private static String failedToConnect(URI uri, URI proxy, long elapsedMillis) {
    URI peer = proxy != null ? proxy : uri;
    int port = proxy != null ? (proxy.getPort() < 0 ? 1080 : proxy.getPort()) : port(uri);
    return "Failed to connect to "
        + peer.getHost()
        + " port "
        + port
        + " after "
        + elapsedMillis
        + " ms: ";
  }

  /** curl's words for the connect timeout running out in {@code step}. */
  private static String connectTimedOut(
      ConnectTimeoutException.Step step, URI uri, URI proxy, long elapsedMillis) {
    return switch (step) {
      case NAME_LOOKUP -> "Resolving timed out after " + elapsedMillis + " milliseconds";
      case CONNECT -> failedToConnect(uri, proxy, elapsedMillis) + "Timeout was reached";
      case PROXY_TUNNEL -> "Proxy CONNECT aborted due to timeout";
      case TLS_HANDSHAKE -> "SSL connection timeout";
      case HTTP2_PREFACE ->
          "Connection timed out after " + elapsedMillis + " milliseconds (no HTTP/2 preface)";
    };
  }

  /** The max-time deadline ran out (exit 28), as curl words it. */
  static CliFailure timedOut(long limitMillis, long bytes) {
    return new CliFailure(
        28,
        "Operation timed out after "
            + limitMillis
            + " milliseconds with "
            + bytes
            + " bytes received");
  }

  /**
   * The system's words for a failed connect ({@code Connection refused}), which the client keeps as
   * the innermost cause of the same type; the message itself if there is none.
   */
  private static String systemReason(IOException e) {
    Throwable reason = e;
    Throwable t = e.getCause();
    for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
      if (t.getClass() == e.getClass() && t.getMessage() != null) reason = t;
    }
    return String.valueOf(reason.getMessage());
  }

  /** Whether a TLS failure comes from the certificate chain or name check (curl's 60). */
  private static boolean untrusted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
        return true;
      }
      if (t.getCause() == t) break;
    }
    return false;
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) return uri.getPort();
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
