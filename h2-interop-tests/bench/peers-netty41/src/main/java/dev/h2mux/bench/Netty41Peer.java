package dev.h2mux.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

/**
 * The Netty 4.1 peer: {@link NettyServer}'s handlers (the same source as the Netty 4.2 peer's)
 * on 4.1's {@link NioEventLoopGroup} (one boss thread, the default number of workers). {@code
 * java -jar h2mux-bench-netty41.jar --port N}; prints {@code LISTENING port} when ready.
 */
public final class Netty41Peer {
  private Netty41Peer() {}

  public static void main(String[] args) throws Exception {
    EventLoopGroup boss = new NioEventLoopGroup(1);
    EventLoopGroup workers = new NioEventLoopGroup();
    NettyServer.serve(args, boss, workers);
  }
}
