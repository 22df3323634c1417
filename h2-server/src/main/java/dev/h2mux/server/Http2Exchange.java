package dev.h2mux.server;

import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.engine.StreamResetException;
import dev.h2mux.core.frame.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request/response exchange on an HTTP/2 stream: runs the {@link Handler} on it, and ends the
 * stream the way the handler left it: completed, answered with 500, or reset.
 */
final class Http2Exchange {
  private static final Logger log = LoggerFactory.getLogger(Http2Exchange.class);

  private final Http2Stream stream;
  private final Http2Request request;
  private final Http2Response response;

  Http2Exchange(
      Http2Stream stream, String scheme, InetSocketAddress remote, Connection connection) {
    this.stream = stream;
    this.request = new Http2Request(stream, scheme, remote, connection);
    this.response = new Http2Response(stream, request.method().equals("HEAD"));
  }

  /** Runs {@code handler}, then completes the response, or fails it if the handler threw. */
  void run(Handler handler) {
    try {
      handler.handle(request, response);
      response.complete();
    } catch (Throwable e) {
      fail(e);
    }
  }

  /** The handler threw: 500 if nothing was sent yet, otherwise reset the stream. */
  private void fail(Throwable e) {
    if (e instanceof StreamResetException || stream.isReset()) {
      log.debug("stream {} ended early: {}", stream.id(), e.toString());
      return;
    }
    if (!response.isCommitted()) {
      log.warn("handler failed on stream {}", stream.id(), e);
      try {
        if (response.sendErrorIfUncommitted()) return;
      } catch (IOException sendFailure) {
        e.addSuppressed(sendFailure);
      }
    } else {
      log.warn("handler failed on stream {} after the response began", stream.id(), e);
    }
    stream.reset(ErrorCode.INTERNAL_ERROR);
  }
}
