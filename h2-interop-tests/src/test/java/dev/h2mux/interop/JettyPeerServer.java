package dev.h2mux.interop;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A Jetty 12 server for the client tests, on two loopback ports: cleartext (HTTP/1.1, h2c with
 * prior knowledge and h2c by Upgrade) and TLS (h2 and http/1.1 by ALPN).
 */
final class JettyPeerServer implements AutoCloseable {
  static final String WELCOME = "Hello from Jetty\n";

  private final Server server;
  private final ServerConnector cleartext;
  private final ServerConnector tls;

  private JettyPeerServer() throws Exception {
    server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    cleartext =
        new ServerConnector(
            server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    cleartext.setHost("127.0.0.1");
    cleartext.setPort(0);

    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(TestCerts.get().keyStore);
    ssl.setKeyStorePassword(new String(TestCerts.PASSWORD));
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol("http/1.1");
    tls =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, alpn.getProtocol()),
            alpn,
            new HTTP2ServerConnectionFactory(https),
            new HttpConnectionFactory(https));
    tls.setHost("127.0.0.1");
    tls.setPort(0);

    server.addConnector(cleartext);
    server.addConnector(tls);
    server.setHandler(new PeerHandler());
  }

  static JettyPeerServer start() throws Exception {
    JettyPeerServer peer = new JettyPeerServer();
    try {
      peer.server.start();
    } catch (Exception e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  String cleartextBase() {
    return "http://127.0.0.1:" + cleartext.getLocalPort();
  }

  String tlsBase() {
    return "https://127.0.0.1:" + tls.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /**
   * GET /, GET /bytes/N, POST|PUT /echo (with trailer x-echo-bytes), POST|PUT /stream-echo (the
   * body back as it arrives, with Jetty's default flow-control windows); 404 otherwise.
   */
  private static final class PeerHandler extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = Request.getPathInContext(request);
      String method = request.getMethod();
      response.getHeaders().put("x-protocol", request.getConnectionMetaData().getProtocol());
      if (path.equals("/") && method.equals("GET")) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, WELCOME, callback);
      } else if (path.startsWith("/bytes/") && method.equals("GET")) {
        int length = Integer.parseInt(path.substring("/bytes/".length()));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        response.write(true, ByteBuffer.wrap(Bodies.pattern(length)), callback);
      } else if (path.equals("/echo") && (method.equals("POST") || method.equals("PUT"))) {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
          body = in.readAllBytes();
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        response.setTrailersSupplier(
            () -> HttpFields.build().put("x-echo-bytes", Integer.toString(body.length)));
        // Jetty 12.1.14 sends the trailers right after the first DATA frame when the whole body
        // is one last write (nghttp flags it too): write the body, then end it empty.
        try (Blocker.Callback written = Blocker.callback()) {
          response.write(false, ByteBuffer.wrap(body), written);
          written.block();
        }
        response.write(true, BufferUtil.EMPTY_BUFFER, callback);
      } else if (path.equals("/stream-echo") && (method.equals("POST") || method.equals("PUT"))) {
        // Echoes each piece as it arrives: the response runs while the upload still does.
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        try (InputStream in = Content.Source.asInputStream(request);
            OutputStream out = Content.Sink.asOutputStream(response)) {
          byte[] buffer = new byte[16 * 1024];
          for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
        callback.succeeded();
      } else {
        Response.writeError(request, response, callback, 404);
      }
      return true;
    }
  }
}
