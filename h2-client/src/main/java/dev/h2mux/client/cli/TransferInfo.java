package dev.h2mux.client.cli;

import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.ExchangeInfo;
import dev.h2mux.client.Protocol;
import dev.h2mux.core.HttpFields;
import java.time.Duration;
import java.util.function.Function;

/**
 * What one transfer (one URL, with the redirects it followed) did: what {@code -w} reports. Filled
 * in by the transfer as it goes, read once it ended; confined to the thread that runs it.
 */
final class TransferInfo {
  final int urlNum;
  final String url;
  String urlEffective;
  String method;
  String referer;
  String filename;
  long startNanos;
  long endNanos;

  /** The last response's status, 0 if none came. */
  int status;

  /** The last response's protocol, null if none came. */
  Protocol protocol;

  /** The last response's header fields, empty if none came. */
  HttpFields headers = HttpFields.empty();

  /** What the client measured on the network; null before a response. */
  ExchangeInfo exchange;

  long sizeDownload;
  long sizeUpload;
  long sizeHeader;
  long sizeRequest;
  int numRedirects;
  String redirectUrl;
  int exitCode;
  String errorMessage;

  TransferInfo(int urlNum, String url) {
    this.urlNum = urlNum;
    this.url = url;
    this.urlEffective = url;
  }

  /** Records the head of the response (after followed redirects, the last one). */
  void response(ClientResponse response) {
    status = response.status();
    protocol = response.protocol();
    headers = response.headers();
    urlEffective = response.uri().toString();
    numRedirects = response.info().redirects();
    String location = headers.get("location");
    if (status >= 300 && status < 400 && location != null) {
      try {
        redirectUrl = response.uri().resolve(location.strip()).toString();
      } catch (IllegalArgumentException e) {
        redirectUrl = null; // not a URI reference: curl has no redirect_url either
      }
    }
  }

  /** Seconds from the start of the exchange until a step, 0 if it did not happen. */
  double seconds(Function<ExchangeInfo, Duration> step) {
    return exchange == null ? 0 : step.apply(exchange).toNanos() / 1e9;
  }

  /** {@code 2}, {@code 1.1}, or {@code 0} before any response, as curl's {@code http_version}. */
  String httpVersion() {
    if (protocol == null) return "0";
    return switch (protocol) {
      case HTTP_2 -> "2";
      case HTTP_1_1 -> "1.1";
    };
  }

  double totalSeconds() {
    return Math.max(0, endNanos - startNanos) / 1e9;
  }
}
