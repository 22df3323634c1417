package dev.h2mux.client;

import java.io.IOException;

/**
 * Sees each redirect a call follows (see {@link Http2ClientBuilder#followRedirects}) before the
 * client follows it, and may change the request that follows: to show every hop's head (curl's
 * {@code -L} with {@code -i}), to send the previous URI as {@code referer} (curl's {@code -e
 * ';auto'}), to add credentials meant for the next origin. Set one on a request with {@link
 * ClientRequest.Builder#onRedirect}.
 *
 * <p>It runs on the thread that called {@link Http2Client#send} (for {@code sendAsync}, the call's
 * own thread), once per redirect, after the redirect's body was discarded and before the next
 * request goes out; between two hops nothing else of the call runs.
 */
@FunctionalInterface
public interface RedirectHook {
  /**
   * A redirect is about to be followed.
   *
   * @param redirect the redirect: status, reason, header fields, the URI it answered, protocol and
   *     {@link ClientResponse#info}; its body is gone (it was read to free the connection, or
   *     cancelled)
   * @param next the request the client sends next, as the redirect rules made it: the new URI, the
   *     method and body the status asks for, without {@code authorization}, {@code cookie} and
   *     {@code host} if the origin changed; it carries this hook
   * @return the request to send: {@code next} itself, or one made from {@code next.toBuilder()}
   *     (which keeps this hook for the hops after it)
   * @throws IOException to stop following: {@code send} fails with it
   */
  ClientRequest redirecting(ClientResponse redirect, ClientRequest next) throws IOException;
}
