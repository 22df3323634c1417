package dev.h2mux.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.Jetty;

/**
 * A minimal Jetty 12 server: one connector that speaks HTTP/1.1 and h2c (prior knowledge and
 * Upgrade), with Jetty's default thread pool and selectors. Nothing is tuned.
 */
final class JettyPeer extends Handler.Abstract {
  private static final int CHUNK = 64 * 1024;
  private static final ByteBuffer FILLER;

  static {
    byte[] bytes = new byte[CHUNK];
    Arrays.fill(bytes, (byte) 'x');
    FILLER = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(PeerSupport.option(args, "port", "8081"));
    String host = PeerSupport.option(args, "host", "127.0.0.1");
    Server server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendDateHeader(true);
    ServerConnector connector = new ServerConnector(
        server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
    connector.setHost(host);
    connector.setPort(port);
    connector.setAcceptQueueSize(8192);
    server.addConnector(connector);
    server.setHandler(new JettyPeer());
    server.start();
    System.out.println("VERSION jetty " + Jetty.VERSION);
    System.out.println("LISTENING " + connector.getLocalPort());
    System.out.flush();
    server.join();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    if (path.equals("/") && method.equals("GET")) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, PeerSupport.HELLO.length);
      response.write(true, ByteBuffer.wrap(PeerSupport.HELLO), callback);
      return true;
    }
    long n = PeerSupport.bytesCount(path);
    if (n >= 0 && method.equals("GET")) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, n);
      new Writer(response, n, callback).iterate();
      return true;
    }
    if (path.equals("/echo") && method.equals("POST")) {
      long length = request.getLength();
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
      if (length >= 0) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
      }
      Content.copy(request, response, callback);
      return true;
    }
    response.setStatus(HttpStatus.NOT_FOUND_404);
    response.write(true, null, callback);
    return true;
  }

  /** Writes n filler bytes in 64 KiB chunks, each write waiting for the previous one. */
  private static final class Writer extends IteratingCallback {
    private final Response response;
    private final Callback done;
    private long remaining;

    Writer(Response response, long n, Callback done) {
      this.response = response;
      this.remaining = n;
      this.done = done;
    }

    @Override
    protected Action process() {
      if (remaining == 0) {
        return Action.SUCCEEDED;
      }
      int chunk = (int) Math.min(remaining, CHUNK);
      remaining -= chunk;
      response.write(remaining == 0, FILLER.slice(0, chunk), this);
      return Action.SCHEDULED;
    }

    @Override
    protected void onCompleteSuccess() {
      done.succeeded();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
      done.failed(cause);
    }
  }
}
