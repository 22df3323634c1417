package dev.h2mux.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Version;
import java.util.Arrays;

/**
 * A minimal Netty server: NIO transport, h2c by prior knowledge or Upgrade through {@link
 * CleartextHttp2ServerUpgradeHandler}, HTTP/2 streams as child channels of an {@link
 * Http2MultiplexHandler}, and HTTP/1.1 keep-alive. Default event loop sizes.
 *
 * <p>This source is compiled twice, against Netty 4.2 into the peers jar ({@code NettyPeer}) and
 * against Netty 4.1 into its own jar ({@code peers-netty41}, {@code Netty41Peer}): the two
 * versions cannot share one class path, and the handlers must be the same so that the two
 * columns compare Netty with Netty. Only the event loops differ, because 4.2 replaced 4.1's
 * {@code NioEventLoopGroup} with {@code MultiThreadIoEventLoopGroup}; each entry point passes
 * its own.
 */
final class NettyServer {
  private static final int CHUNK = 64 * 1024;
  private static final ByteBuf FILLER;
  private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(
      Unpooled.wrappedBuffer(PeerSupport.HELLO).asReadOnly());

  static {
    byte[] bytes = new byte[CHUNK];
    Arrays.fill(bytes, (byte) 'x');
    FILLER = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
  }

  private NettyServer() {}

  /**
   * Serves on {@code --host} (default 127.0.0.1) and {@code --port} with the given event loops
   * until the process is killed; prints {@code VERSION netty <version>} and then {@code
   * LISTENING <port>} once bound.
   */
  static void serve(String[] args, EventLoopGroup boss, EventLoopGroup workers)
      throws Exception {
    int port = Integer.parseInt(PeerSupport.option(args, "port", "8082"));
    String host = PeerSupport.option(args, "host", "127.0.0.1");
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 8192)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            configure(ch.pipeline());
          }
        });
    Channel channel = bootstrap.bind(host, port).sync().channel();
    int bound = ((java.net.InetSocketAddress) channel.localAddress()).getPort();
    Version codec = Version.identify().get("netty-codec-http2");
    System.out.println("VERSION netty " + (codec == null ? "unknown" : codec.artifactVersion()));
    System.out.println("LISTENING " + bound);
    System.out.flush();
    channel.closeFuture().sync();
  }

  private static void configure(ChannelPipeline pipeline) {
    HttpServerCodec http1 = new HttpServerCodec();
    HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, protocol ->
        AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
            ? new Http2ServerUpgradeCodec(
                Http2FrameCodecBuilder.forServer().build(),
                new Http2MultiplexHandler(new StreamInitializer()))
            : null);
    ChannelHandler priorKnowledge = new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(
            Http2FrameCodecBuilder.forServer().build(),
            new Http2MultiplexHandler(new StreamInitializer()));
      }
    };
    pipeline.addLast(new CleartextHttp2ServerUpgradeHandler(http1, upgrade, priorKnowledge));
    // Reached only by plain HTTP/1.1 requests: switch to an aggregating HTTP/1.1 handler.
    pipeline.addLast(new SimpleChannelInboundHandler<HttpMessage>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, HttpMessage msg) {
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), null, new Http1Handler());
        p.replace(this, null, new HttpObjectAggregator(16 * 1024 * 1024));
        ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
      }
    });
  }

  private static final class StreamInitializer extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel ch) {
      ch.pipeline().addLast(new StreamHandler());
    }
  }

  /** One HTTP/2 stream: answers on its HEADERS; for /echo streams each DATA frame back. */
  private static final class StreamHandler extends ChannelInboundHandlerAdapter {
    private boolean echoing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2HeadersFrame frame) {
        onHeaders(ctx, frame);
      } else if (msg instanceof Http2DataFrame data) {
        if (echoing) {
          ctx.write(new DefaultHttp2DataFrame(data.content().retain(), data.isEndStream()));
        }
        data.release();
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
      Http2Headers request = frame.headers();
      String path = String.valueOf(request.path());
      String method = String.valueOf(request.method());
      if (path.equals("/") && method.equals("GET")) {
        ctx.write(new DefaultHttp2HeadersFrame(head("text/plain", PeerSupport.HELLO.length)));
        ctx.write(new DefaultHttp2DataFrame(HELLO.duplicate(), true));
        return;
      }
      long n = PeerSupport.bytesCount(path);
      if (n >= 0 && method.equals("GET")) {
        ctx.write(new DefaultHttp2HeadersFrame(head("application/octet-stream", n), n == 0));
        while (n > 0) {
          int chunk = (int) Math.min(n, CHUNK);
          n -= chunk;
          ctx.write(new DefaultHttp2DataFrame(FILLER.slice(0, chunk), n == 0));
        }
        return;
      }
      if (path.equals("/echo") && method.equals("POST")) {
        CharSequence length = request.get(HttpHeaderNames.CONTENT_LENGTH);
        Http2Headers head = new DefaultHttp2Headers().status("200")
            .add(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        if (length != null) {
          head.add(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        ctx.write(new DefaultHttp2HeadersFrame(head, frame.isEndStream()));
        echoing = !frame.isEndStream();
        return;
      }
      ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("404"), true));
    }

    private static Http2Headers head(String type, long length) {
      return new DefaultHttp2Headers().status("200")
          .add(HttpHeaderNames.CONTENT_TYPE, type)
          .addLong(HttpHeaderNames.CONTENT_LENGTH, length);
    }
  }

  /** HTTP/1.1 with keep-alive, on aggregated requests. */
  private static final class Http1Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String path = request.uri();
      HttpMethod method = request.method();
      ByteBuf body;
      String type = "application/octet-stream";
      HttpResponseStatus status = HttpResponseStatus.OK;
      long n = PeerSupport.bytesCount(path);
      if (path.equals("/") && method.equals(HttpMethod.GET)) {
        body = HELLO.duplicate();
        type = "text/plain";
      } else if (n >= 0 && n <= Integer.MAX_VALUE && method.equals(HttpMethod.GET)) {
        body = Unpooled.buffer((int) n);
        while (body.writerIndex() < n) {
          body.writeBytes(FILLER, 0, (int) Math.min(CHUNK, n - body.writerIndex()));
        }
      } else if (path.equals("/echo") && method.equals(HttpMethod.POST)) {
        body = request.content().retain();
      } else {
        body = Unpooled.EMPTY_BUFFER;
        status = HttpResponseStatus.NOT_FOUND;
      }
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (keepAlive) {
        ctx.write(response);
      } else {
        ctx.write(response).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }
}
