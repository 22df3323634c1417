package dev.h2mux.client;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What one call of {@link Http2Client#send} did on the network, for statistics and for curl's
 * {@code -w} variables, which it measures as curl defines them. A time is measured from the start
 * of {@code send}; after followed redirects, as curl does, each step's time is the sum over the
 * requests of the call, each measured from its own start (so without redirects every time is from
 * the start of the call). A step that did not happen counts {@link Duration#ZERO}: no connection
 * was opened (one was reused, or another request opened it), or the origin is not {@code https}.
 *
 * @param remoteAddress the address of the peer that carried the response: the server, or the proxy
 *     if there is one (curl's {@code remote_ip} and {@code remote_port})
 * @param localAddress the client's end of that connection ({@code local_ip} and {@code local_port})
 * @param connectionsOpened how many connections this call opened, 0 if it reused one ({@code
 *     num_connects})
 * @param redirects how many redirects were followed ({@code num_redirects})
 * @param timeToNameLookup until the host (or the proxy) was looked up, or taken from a {@linkplain
 *     Http2ClientBuilder#resolve resolve} override ({@code time_namelookup})
 * @param timeToConnect until the TCP connection was established ({@code time_connect})
 * @param timeToTls until that connection's TLS handshake was done ({@code time_appconnect})
 * @param timeToSend until the request head was about to be sent, the connection ready: for HTTP/2
 *     its preface exchanged and a stream free ({@code time_pretransfer})
 * @param timeToFirstByte until the response head arrived ({@code time_starttransfer})
 * @param redirectTime from the start until the last request began, 0 without redirects: the time
 *     the redirects took ({@code time_redirect})
 * @param totalTime until the response body was read to its end or closed; until now if it is still
 *     open ({@code time_total})
 * @param bytesUploaded bytes of request body sent for the final response ({@code size_upload})
 * @param bytesDownloaded bytes of response body received so far, as they came over the wire (before
 *     any {@linkplain Http2ClientBuilder#decompress decompression}; {@code size_download})
 */
public record ExchangeInfo(
    InetSocketAddress remoteAddress,
    InetSocketAddress localAddress,
    int connectionsOpened,
    int redirects,
    Duration timeToNameLookup,
    Duration timeToConnect,
    Duration timeToTls,
    Duration timeToSend,
    Duration timeToFirstByte,
    Duration redirectTime,
    Duration totalTime,
    long bytesUploaded,
    long bytesDownloaded) {}
