package dev.h2mux.client;

import dev.h2mux.core.HttpFields;

/**
 * Sees the interim (1xx) responses that come before a request's final one: a {@code 100 Continue},
 * a {@code 103 Early Hints} (curl's {@code -i} writes them before the final head). Set one with
 * {@link ClientRequest.Builder#onInterimResponse}. It is called on the thread that called {@link
 * Http2Client#send}, before {@code send} returns.
 *
 * <p>Over HTTP/1.1 only, for now: the HTTP/2 engine reads the interim heads of a stream but does
 * not pass them on. An h2c Upgrade's {@code 101} is not an interim response of the request.
 */
@FunctionalInterface
public interface InterimResponseListener {
  /**
   * An interim response arrived.
   *
   * @param protocol the protocol it came in
   * @param status its status, 100 to 199
   * @param reason its reason phrase, empty if none
   * @param headers its header fields
   */
  void interimResponse(Protocol protocol, int status, String reason, HttpFields headers);
}
