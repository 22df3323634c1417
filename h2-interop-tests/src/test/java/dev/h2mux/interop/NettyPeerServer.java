package dev.h2mux.interop;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.KeyManagerFactory;

/**
 * A Netty 4 HTTP/2 server for the client tests, on two loopback ports: cleartext h2c with prior
 * knowledge, and TLS offering only h2 by ALPN.
 */
final class NettyPeerServer implements AutoCloseable {
  static final String WELCOME = "Hello from Netty\n";

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private Channel cleartext;
  private Channel tls;

  static NettyPeerServer start() throws Exception {
    NettyPeerServer peer = new NettyPeerServer();
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(TestCerts.get().keyStore, TestCerts.PASSWORD);
      SslContext ssl =
          SslContextBuilder.forServer(kmf)
              .sslProvider(SslProvider.JDK)
              .applicationProtocolConfig(
                  new ApplicationProtocolConfig(
                      ApplicationProtocolConfig.Protocol.ALPN,
                      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                      ApplicationProtocolNames.HTTP_2))
              .build();
      peer.cleartext = peer.bind(null);
      peer.tls = peer.bind(ssl);
    } catch (Exception e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  String cleartextBase() {
    return "http://127.0.0.1:" + ((InetSocketAddress) cleartext.localAddress()).getPort();
  }

  String tlsBase() {
    return "https://127.0.0.1:" + ((InetSocketAddress) tls.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (cleartext != null) cleartext.close().syncUninterruptibly();
    if (tls != null) tls.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private Channel bind(SslContext ssl) throws InterruptedException {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                if (ssl == null) {
                  addHttp2(ch.pipeline());
                  return;
                }
                ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                ch.pipeline()
                    .addLast(
                        new ApplicationProtocolNegotiationHandler(
                            ApplicationProtocolNames.HTTP_1_1) {
                          @Override
                          protected void configurePipeline(
                              ChannelHandlerContext ctx, String protocol) {
                            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                              addHttp2(ctx.pipeline());
                            } else {
                              ctx.close();
                            }
                          }
                        });
              }
            })
        .bind("127.0.0.1", 0)
        .sync()
        .channel();
  }

  private static void addHttp2(ChannelPipeline pipeline) {
    pipeline.addLast(Http2FrameCodecBuilder.forServer().build());
    pipeline.addLast(
        new Http2MultiplexHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast(new HttpObjectAggregator(4 << 20));
                stream.pipeline().addLast(new PeerHandler());
              }
            }));
  }

  /** GET /, GET /bytes/N, POST|PUT /echo (with trailer x-echo-bytes); 404 otherwise. */
  private static final class PeerHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String path = request.uri();
      HttpMethod method = request.method();
      FullHttpResponse response;
      if (path.equals("/") && method.equals(HttpMethod.GET)) {
        response =
            response(HttpResponseStatus.OK, Unpooled.copiedBuffer(WELCOME, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      } else if (path.startsWith("/bytes/") && method.equals(HttpMethod.GET)) {
        int length = Integer.parseInt(path.substring("/bytes/".length()));
        response = response(HttpResponseStatus.OK, Unpooled.wrappedBuffer(Bodies.pattern(length)));
      } else if (path.equals("/echo")
          && (method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT))) {
        ByteBuf body = request.content().retainedDuplicate();
        response = response(HttpResponseStatus.OK, body);
        response.trailingHeaders().set("x-echo-bytes", Integer.toString(body.readableBytes()));
      } else {
        response = response(HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
      }
      ctx.writeAndFlush(response);
    }

    private static FullHttpResponse response(HttpResponseStatus status, ByteBuf body) {
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      response.headers().set("x-peer", "netty");
      return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
