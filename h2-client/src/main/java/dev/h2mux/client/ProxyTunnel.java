package dev.h2mux.client;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.http1.Http1HeadWriter;
import dev.h2mux.core.http1.Http1Parser;
import dev.h2mux.core.http1.Http1ResponseHead;
import dev.h2mux.core.io.PeekableInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A tunnel through an HTTP proxy (RFC 9110 §9.3.6): {@code CONNECT host:port}, and a 2xx answer
 * turns the connection into a byte pipe to the origin, for TLS to run end to end inside.
 */
final class ProxyTunnel {
  private ProxyTunnel() {}

  /**
   * Asks the proxy on {@code socket} for a tunnel to {@code origin} and waits for its answer.
   *
   * @throws ProxyTunnelException if the proxy answers other than 2xx
   */
  static void open(
      Socket socket,
      Origin origin,
      ClientConfig.ProxyConfig proxy,
      ConnectBudget budget,
      ClientConfig config,
      String name)
      throws IOException {
    // The authority form always carries the port (RFC 9112 §3.2.3).
    String host = origin.host().indexOf(':') >= 0 ? "[" + origin.host() + "]" : origin.host();
    String target = host + ":" + origin.port();
    HttpFields fields = HttpFields.of("host", target);
    if (proxy.authorization() != null) fields.add("proxy-authorization", proxy.authorization());
    TraceListener trace = config.trace();
    if (trace != null) {
      Tracer.emit(
          trace,
          new TraceEvent.Request(
              name, Protocol.HTTP_1_1, 0, "CONNECT", target, target, fields.freeze()));
    }
    OutputStream out = socket.getOutputStream();
    Http1HeadWriter.writeRequestHead(out, "CONNECT", target, fields);
    out.flush();
    // After a 2xx head the bytes that follow belong to the origin's TLS, but the proxy relays
    // nothing before the client's hello: a buffer past the head stays empty (checked below).
    PeekableInputStream in = new PeekableInputStream(socket.getInputStream(), 1024);
    Http1ResponseHead head;
    String step = "the proxy's answer to CONNECT " + target;
    try {
      socket.setSoTimeout(budget.remainingMillis(ConnectTimeoutException.Step.PROXY_TUNNEL, step));
      head = Http1Parser.readResponseHead(in, config.maxResponseHeadSize());
    } catch (SocketTimeoutException e) {
      throw (ConnectTimeoutException)
          budget.exceeded(ConnectTimeoutException.Step.PROXY_TUNNEL, step).initCause(e);
    } catch (EOFException e) {
      head = null;
    }
    if (head == null) {
      throw new ProxyTunnelException(
          "the proxy closed the connection instead of answering CONNECT", 0);
    }
    if (trace != null) {
      Tracer.emit(
          trace,
          new TraceEvent.Response(
              name, Protocol.HTTP_1_1, 0, head.status(), head.reason(), head.headers()));
    }
    if (head.status() / 100 != 2) {
      throw new ProxyTunnelException(
          "the proxy refused the tunnel to " + target + ": " + head.status() + " " + head.reason(),
          head.status());
    }
    if (in.buffered() > 0) {
      throw new ProxyTunnelException("the proxy sent data before the TLS handshake", head.status());
    }
    socket.setSoTimeout(0);
  }
}
