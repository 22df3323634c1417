package dev.h2mux.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * The Netty 4.2 peer: {@link NettyServer}'s handlers on 4.2's {@link MultiThreadIoEventLoopGroup}
 * with the NIO handler (one boss thread, the default number of workers).
 */
final class NettyPeer {
  private NettyPeer() {}

  public static void main(String[] args) throws Exception {
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    NettyServer.serve(args, boss, workers);
  }
}
