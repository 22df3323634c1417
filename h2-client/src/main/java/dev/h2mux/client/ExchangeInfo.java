package dev.h2mux.client;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What one call of {@link Http2Client#send} did on the network, for statistics and for curl's
 * {@code -w} variables. Times are measured from the start of {@code send}; redirects that were
 * followed are part of the same call. A time is {@link Duration#ZERO} if its step did not happen in
 * this call: no connection was opened (one was reused or another request opened it), or the origin
 * is not {@code https}.
 *
 * @param remoteAddress the address of the peer that carried the response: the server, or the proxy
 *     if there is one (curl's {@code remote_ip} and {@code remote_port})
 * @param connectionsOpened how many connections this call opened, 0 if it reused one ({@code
 *     num_connects})
 * @param redirects how many redirects were followed ({@code num_redirects})
 * @param timeToConnect until the last TCP connection this call opened was established ({@code
 *     time_connect})
 * @param timeToTls until that connection's TLS handshake was done ({@code time_appconnect})
 * @param timeToFirstByte until the final response head arrived ({@code time_starttransfer})
 * @param totalTime until the response body was read to its end or closed; until now if it is still
 *     open ({@code time_total})
 * @param bytesUploaded bytes of request body sent for the final response ({@code size_upload})
 * @param bytesDownloaded bytes of response body received so far, as they came over the wire (before
 *     any {@linkplain Http2Client.Builder#decompress decompression}; {@code size_download})
 */
public record ExchangeInfo(
    InetSocketAddress remoteAddress,
    int connectionsOpened,
    int redirects,
    Duration timeToConnect,
    Duration timeToTls,
    Duration timeToFirstByte,
    Duration totalTime,
    long bytesUploaded,
    long bytesDownloaded) {}
