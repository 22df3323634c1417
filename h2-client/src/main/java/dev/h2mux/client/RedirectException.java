package dev.h2mux.client;

import java.io.IOException;
import java.net.URI;

/**
 * A redirect could not be followed (see {@link Http2ClientBuilder#followRedirects}). The redirect
 * response itself has been closed.
 */
public final class RedirectException extends IOException {
  /** Why the redirect was not followed. */
  public enum Reason {
    /** More redirects than the client allows (curl's exit code 47). */
    TOO_MANY,
    /**
     * The redirect keeps the method and body (307, 308, or 301/302 for other methods than POST) but
     * the body was written by a {@link ClientRequest.BodyWriter}, so it cannot be sent again
     * (curl's exit code 65).
     */
    BODY_NOT_REPLAYABLE,
    /** The {@code location} is not a valid {@code http} or {@code https} URI. */
    BAD_LOCATION
  }

  private final Reason reason;
  private final URI location;

  RedirectException(String message, Reason reason, URI location) {
    super(message);
    this.reason = reason;
    this.location = location;
  }

  /** Why the redirect was not followed. */
  public Reason reason() {
    return reason;
  }

  /** Where the redirect pointed, resolved against the request's URI; null if it was unusable. */
  public URI location() {
    return location;
  }
}
