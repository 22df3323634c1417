package dev.h2mux.client;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.engine.Http2Config;
import dev.h2mux.core.engine.Http2Stream;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.core.http.ResponseHead;
import dev.h2mux.core.http1.Http1Exception;
import dev.h2mux.core.http1.Http1ResponseHead;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Base64;

/**
 * The client side of the h2c Upgrade (RFC 7540 §3.2): the first request to an origin goes out as
 * HTTP/1.1 with {@code Upgrade: h2c} and our SETTINGS in {@code HTTP2-Settings}; a {@code 101}
 * turns the connection into HTTP/2 with that request as stream 1, any other answer is the response
 * over HTTP/1.1 and the origin is known to speak only that.
 */
final class ClientUpgrade {
  private final ClientConfig config;
  private final Origin origin;
  private final Http1Call http1;
  private final Http1Pool pool;
  private final Http2Call http2;
  private final Runnable onHttp1Only;

  ClientUpgrade(
      ClientConfig config,
      Origin origin,
      Http1Call http1,
      Http1Pool pool,
      Http2Call http2,
      Runnable onHttp1Only) {
    this.config = config;
    this.origin = origin;
    this.http1 = http1;
    this.pool = pool;
    this.http2 = http2;
    this.onHttp1Only = onHttp1Only;
  }

  ConnectResult upgrade(
      Http2Connector connector,
      Dialed dialed,
      ClientRequest request,
      Cancellation cancel,
      Deadline deadline,
      Exchange exchange)
      throws IOException {
    Http1Connection connection = new Http1Connection(dialed);
    cancel.onCancel(connection::close);
    HttpFields extra =
        HttpFields.of(
            "connection", "Upgrade, HTTP2-Settings",
            "upgrade", "h2c",
            "http2-settings", settingsHeader(config.http2()));
    Upload upload = null;
    Http1ResponseHead head;
    try {
      // No wait for a 100 Continue: the whole request goes before any HTTP/2 frame anyway.
      upload = http1.send(connection, request, extra, exchange, deadline, false).upload();
      head = http1.readHead(connection, request, true, deadline);
    } catch (IOException | RuntimeException e) {
      connection.close();
      if (upload != null && upload.cause() != null) throw upload.cause();
      throw e;
    }
    if (head.status() != 101) {
      info(dialed.name(), "the server declined the h2c upgrade: using HTTP/1.1");
      onHttp1Only.run();
      pool.adopt(connection);
      try {
        return new ConnectResult.UpgradeDeclined(
            http1.response(connection, request, head, upload, exchange, false));
      } catch (IOException | RuntimeException e) {
        pool.release(connection, false); // gives its slot back
        throw e;
      }
    }
    if (!"h2c".equalsIgnoreCase(head.headers().get("upgrade"))) {
      connection.close();
      throw new Http1Exception(400, "101 Switching Protocols to " + head.headers().get("upgrade"));
    }
    // The whole request goes out before any HTTP/2 frame (RFC 7540 §3.2).
    if (upload != null) {
      try {
        upload.awaitEnd();
      } catch (IOException e) {
        connection.close();
        throw e;
      }
    }
    info(dialed.name(), "upgraded to h2c");
    dialed.socket().setSoTimeout(0);
    Http2Session session = connector.newSession(dialed, connection.in);
    Http2Stream first = session.connection.startUpgradedClient();
    cancel.onCancel(() -> first.reset(ErrorCode.CANCEL));
    // The request was answered: the server's preface follows its 101 at once.
    connector.awaitReady(session, ConnectBudget.start(config.connectTimeout()));
    try {
      ResponseHead response = first.awaitResponse(deadline.remainingNanos());
      exchange.firstByte();
      http2.traceResponse(session, first, response);
      return new ConnectResult.Upgraded(
          session, http2.response(session, first, response, null, request, exchange));
    } catch (SocketTimeoutException e) {
      first.reset(ErrorCode.CANCEL);
      session.connection.shutdownGracefully();
      throw deadline.exceeded("no response from " + origin);
    } catch (IOException | RuntimeException e) {
      first.reset(ErrorCode.CANCEL);
      session.connection.shutdownGracefully();
      throw e;
    }
  }

  /**
   * The SETTINGS payload of the HTTP2-Settings header, base64url without padding (RFC 7540 §3.2.1):
   * the values the engine sends in its own SETTINGS frame after the preface.
   */
  static String settingsHeader(Http2Config config) {
    Http2Settings settings =
        Http2Settings.EMPTY
            .with(Http2Settings.ENABLE_PUSH, 0)
            .with(Http2Settings.MAX_CONCURRENT_STREAMS, config.maxConcurrentStreams())
            .with(Http2Settings.INITIAL_WINDOW_SIZE, config.initialWindowSize())
            .with(Http2Settings.MAX_FRAME_SIZE, config.maxFrameSize())
            .with(Http2Settings.MAX_HEADER_LIST_SIZE, config.maxHeaderListSize());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(settings.toPayload());
  }

  private void info(String connection, String event) {
    Tracer.info(config.trace(), connection, event);
  }
}
