package dev.h2mux.client;

import dev.h2mux.client.RedirectException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Follows redirects the way curl's {@code -L} does (see {@link
 * Http2ClientBuilder#followRedirects}): RFC 9110 §15.4 with the common treatment of 301 and 302 for
 * POST.
 */
final class Redirects {
  /** The most of a redirect's body read to keep its connection; a longer one is cancelled. */
  private static final int MAX_DRAINED = 64 * 1024;

  /** The fields that describe a body, dropped with it. */
  private static final String[] BODY_FIELDS = {
    "content-length", "content-type", "content-encoding", "content-language", "transfer-encoding"
  };

  private Redirects() {}

  /** Sends {@code request} and follows the redirects of its responses, up to {@code max}. */
  static ClientResponse follow(
      ClientRequest request, ClientResponse response, int max, Exchange exchange, Sender sender)
      throws IOException {
    for (int followed = 0; isRedirect(response); followed++) {
      URI location = resolve(request.uri(), response.headers().get("location"));
      if (location == null) {
        response.close();
        throw new RedirectException(
            "cannot follow the redirect to " + response.headers().get("location"),
            Reason.BAD_LOCATION,
            null);
      }
      if (followed == max) {
        response.close();
        throw new RedirectException(
            "maximum (" + max + ") redirects followed", Reason.TOO_MANY, location);
      }
      ClientRequest next = next(request, response.status(), location);
      discard(response);
      RedirectHook hook = request.redirectHook();
      if (hook != null) {
        next = Objects.requireNonNull(hook.redirecting(response, next), "redirect hook result");
      }
      exchange.redirected();
      request = next;
      response = sender.send(next);
    }
    return response;
  }

  /** Sends one request of the chain. */
  @FunctionalInterface
  interface Sender {
    ClientResponse send(ClientRequest request) throws IOException;
  }

  private static boolean isRedirect(ClientResponse response) {
    return switch (response.status()) {
      case 301, 302, 303, 307, 308 -> response.headers().contains("location");
      default -> false;
    };
  }

  /**
   * The request a redirect asks for: 303 becomes GET (HEAD stays HEAD), 301 and 302 turn POST into
   * GET, the rest keeps method and body. Another origin does not get the credentials or the host
   * meant for this one.
   *
   * @throws RedirectException if the body must be sent again and cannot be
   */
  private static ClientRequest next(ClientRequest request, int status, URI location)
      throws RedirectException {
    String method = request.method();
    boolean toGet =
        status == 303
            ? !method.equals("GET") && !method.equals("HEAD")
            : (status == 301 || status == 302) && method.equals("POST");
    ClientRequest.Builder next = request.toBuilder().uri(location);
    if (toGet) {
      next.method("GET").noBody();
      for (String name : BODY_FIELDS) next.removeHeader(name);
    } else if (request.hasBody() && !request.isReplayable()) {
      throw new RedirectException(
          status + " asks for the body again, which was written once and cannot be replayed",
          Reason.BODY_NOT_REPLAYABLE,
          location);
    }
    if (!Origin.of(location).equals(Origin.of(request.uri()))) {
      next.removeHeader("authorization").removeHeader("cookie").removeHeader("host");
    }
    return next.build();
  }

  /**
   * {@code location} resolved against {@code base} (RFC 9110 §10.2.2, RFC 3986 §5); characters a
   * URI may not hold, such as spaces and UTF-8, are percent-encoded first. Null if it is not an
   * http or https URI with a host.
   */
  static URI resolve(URI base, String location) {
    try {
      URI reference = new URI(escape(location.trim()));
      // URI.resolve joins a relative path to a base without one as if there were no slash
      URI from =
          base.getRawPath() == null || base.getRawPath().isEmpty() ? base.resolve("/") : base;
      URI resolved = from.resolve(reference);
      String scheme = resolved.getScheme();
      if (scheme == null || resolved.getHost() == null) return null;
      scheme = scheme.toLowerCase(Locale.ROOT);
      return scheme.equals("http") || scheme.equals("https") ? resolved : null;
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String escape(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c > 0x20 && c < 0x7f && "\"<>\\^`{|}".indexOf(c) < 0;
      if (ok) {
        if (out != null) out.append(c);
        continue;
      }
      if (out == null) out = new StringBuilder(s.substring(0, i));
      int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
      for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
      i = end - 1;
    }
    return out == null ? s : out.toString();
  }

  /** Reads a short redirect body to its end so the connection can be reused; else cancels it. */
  private static void discard(ClientResponse response) {
    try (InputStream body = response.rawBody()) {
      byte[] buffer = new byte[8192];
      long left = MAX_DRAINED;
      for (int n; left > 0 && (n = body.read(buffer)) >= 0; ) left -= n;
    } catch (IOException e) {
      // the redirect's body does not matter; its exchange is closed either way
    }
  }
}
