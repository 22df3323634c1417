package dev.h2mux.core.engine;

import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.core.http.RequestHead;
import java.io.IOException;

/**
 * Stream 1 of a connection that began as HTTP/1.1 and switched with an h2c Upgrade (RFC 7540 §3.2;
 * RFC 9113 §3.1 deprecates the mechanism, but clients such as curl still use it). On the server the
 * upgraded request is stream 1, half-closed (remote) with its body already received, and the
 * HTTP2-Settings header counts as the client's first SETTINGS; on the client the request sent is
 * stream 1, half-closed (local).
 */
final class H2cUpgrade {
  private H2cUpgrade() {}

  /** See {@link Http2Connection#adoptUpgrade}. */
  static Http2Stream adopt(
      Http2Connection connection, RequestHead request, byte[] body, byte[] http2Settings)
      throws IOException {
    Http2Settings settings = Http2Settings.parsePayload(http2Settings);
    Http2Stream stream;
    connection.lock.lock();
    try {
      connection.settings.fromUpgradeLocked(settings);
      stream =
          new Http2Stream(
              connection,
              1,
              StreamState.IDLE.received(FrameType.HEADERS, false),
              connection.settings.peerInitialWindowLocked(),
              connection.config().initialWindowSize());
      stream.requestLocked(request);
      // The body arrived over HTTP/1.1, before any window existed; count it against the windows
      // anyway, so reading it credits back only what it took.
      connection.flow.receivedBeforeWindowsLocked(body.length);
      stream.receiveWindow.takeUnchecked(body.length);
      stream.inbound().receiveLocked(new Frame.Data(1, body, 0, body.length, true, body.length));
      connection.streams.addUpgradedPeerLocked(stream);
    } finally {
      connection.lock.unlock();
    }
    connection.readLoop.dispatchAfterPreface(stream);
    return stream;
  }

  /** See {@link Http2Connection#startUpgradedClient}. */
  static Http2Stream startClient(Http2Connection connection) throws IOException {
    Http2Stream stream;
    connection.lock.lock();
    try {
      stream =
          new Http2Stream(
              connection,
              1,
              StreamState.IDLE.sent(FrameType.HEADERS, true),
              FlowControl.DEFAULT_WINDOW,
              connection.config().initialWindowSize());
      connection.streams.addUpgradedLocalLocked(stream);
    } finally {
      connection.lock.unlock();
    }
    connection.start();
    return stream;
  }
}
