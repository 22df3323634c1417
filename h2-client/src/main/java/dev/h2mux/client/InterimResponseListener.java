package dev.h2mux.client;

import dev.h2mux.core.HttpFields;

/**
 * Sees the interim (1xx) responses that come before a request's final one: a {@code 100 Continue},
 * a {@code 103 Early Hints} (curl's {@code -i} writes them before the final head). Set one with
 * {@link ClientRequest.Builder#onInterimResponse}. It is called on the thread that called {@link
 * Http2Client#send}, before {@code send} returns.
 *
 * <p>Over HTTP/1.1 and HTTP/2 alike (over HTTP/2 the reason is empty: the protocol has none). A
 * stream keeps at most a few unread interim heads (8), so a listener that returns quickly sees them
 * all. An h2c Upgrade's {@code 101} is not an interim response of the request.
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
