package dev.h2mux.client.cli;

import dev.h2mux.client.ClientResponse;
import dev.h2mux.client.Protocol;
import dev.h2mux.core.HttpFields;

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

  /** Records the head of a response (the last one counts). */
  void response(ClientResponse response) {
    status = response.status();
    protocol = response.protocol();
    headers = response.headers();
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
