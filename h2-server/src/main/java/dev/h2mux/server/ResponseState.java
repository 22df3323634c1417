package dev.h2mux.server;

import dev.h2mux.core.HttpFields;
import java.io.IOException;
import java.util.Objects;

/**
 * What a {@link Response} holds until it is sent, and the rules both protocols apply to it: a final
 * status (200 by default), the header fields, the trailers, and how far the response got
 * (committed, ended, reset). The HTTP/2 and the HTTP/1.1 response extend it with their framing.
 *
 * <p>At commit the header fields are frozen in place: {@link #headers()} goes on returning the same
 * object, which from then on shows the fields as committed and throws on any change, however the
 * handler reached it. A change after commit can have no effect, so it fails loudly instead of being
 * lost. Used by the handler's thread, as a {@code Response} is.
 */
abstract sealed class ResponseState implements Response permits Http1Response, Http2Response {
  private int status = 200;
  private HttpFields headers = new HttpFields();
  private HttpFields trailers = HttpFields.empty();
  private boolean committed;
  private boolean ended;
  private boolean reset;

  /**
   * The rule both protocols apply to {@link Response#status(int)}: a final status, since 1xx
   * responses are the server's business (100-continue) or go through {@link
   * Response#sendInformational}.
   */
  static int requireFinalStatus(int status) {
    if (status < 200 || status > 999) {
      throw new IllegalArgumentException(
          "status must be a final status in 200..999, got " + status);
    }
    return status;
  }

  /**
   * The rules both protocols apply to {@link Response#sendInformational}: a 1xx status other than
   * 101, and no fields that would frame content a 1xx never has (RFC 9110 §8.6, RFC 9112 §6.1).
   */
  static void requireInformational(int status, HttpFields headers) {
    Objects.requireNonNull(headers, "headers");
    if (status < 100 || status > 199 || status == 101) {
      throw new IllegalArgumentException(
          "an interim status must be 100 or 102..199 (101 is the server's), got " + status);
    }
    if (headers.contains("content-length") || headers.contains("transfer-encoding")) {
      throw new IllegalArgumentException(
          "an interim response has no content: no content-length or transfer-encoding");
    }
  }

  @Override
  public final Response status(int status) {
    if (committed) throw new IllegalStateException("response already committed");
    this.status = requireFinalStatus(status);
    return this;
  }

  @Override
  public final int status() {
    return status;
  }

  /** The header fields: mutable until commit, then the same object, frozen. */
  @Override
  public final HttpFields headers() {
    return headers;
  }

  @Override
  public final Response trailers(HttpFields trailers) {
    Objects.requireNonNull(trailers, "trailers");
    if (ended) throw new IllegalStateException("response body already closed");
    for (int i = 0; i < trailers.size(); i++) {
      // Trailers carry no pseudo-header fields (RFC 9113 §8.1, RFC 9110 §6.5).
      if (trailers.name(i).startsWith(":")) {
        throw new IllegalArgumentException("a pseudo-header is not a trailer: " + trailers.name(i));
      }
    }
    this.trailers = trailers.copy().freeze();
    return this;
  }

  @Override
  public final boolean isCommitted() {
    return committed;
  }

  /** The trailers set, frozen; empty if none. */
  final HttpFields trailerFields() {
    return trailers;
  }

  /** {@link Response#sendInformational} checks: its status and fields, and nothing sent yet. */
  final void checkInformational(int status, HttpFields headers) {
    requireInformational(status, headers);
    if (committed || reset) throw new IllegalStateException("response already committed");
  }

  /** The head goes out now: the header fields freeze as they are; returns them. */
  final HttpFields markCommitted() {
    committed = true;
    return headers.freeze();
  }

  /** True once the body ended: closed, finished, or cut by a reset. */
  final boolean isEnded() {
    return ended;
  }

  final void markEnded() {
    ended = true;
  }

  final boolean isReset() {
    return reset;
  }

  /** Marks the response reset (the caller then ends it); false if it was reset already. */
  final boolean markReset() {
    if (reset) return false;
    reset = true;
    return true;
  }

  /** For a write to the body: fails once the body ended, saying whether a reset ended it. */
  final void requireOpen() throws IOException {
    if (ended) throw new IOException(reset ? "response was reset" : "response body closed");
  }

  /**
   * Drops the status, header fields and trailers the handler set, for an error response the server
   * sends in their place; not once committed.
   */
  final void replaceForError(int status) {
    if (committed) throw new IllegalStateException("response already committed");
    this.status = status;
    headers = new HttpFields();
    trailers = HttpFields.empty();
  }
}
