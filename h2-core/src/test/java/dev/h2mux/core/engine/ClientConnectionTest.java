package dev.h2mux.core.engine;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Frame;
import dev.h2mux.core.frame.FrameType;
import dev.h2mux.core.frame.Http2Settings;
import dev.h2mux.core.http.ResponseHead;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine in CLIENT role against a scripted server. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientConnectionTest {
  private static final long WAIT = TimeUnit.SECONDS.toNanos(5);
  private EngineUnderTest client;
  private FramePeer peer;

  private FramePeer start() throws IOException {
    return start(Http2Settings.EMPTY);
  }

  private FramePeer start(Http2Settings serverSettings) throws IOException {
    client = EngineUnderTest.client(Http2Config.DEFAULTS);
    peer = client.peer().handshake(serverSettings);
    return peer;
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) client.close();
  }

  private static HttpFields get(String path) {
    return HttpFields.of(
        ":method", "GET", ":scheme", "http", ":authority", "localhost", ":path", path);
  }

  private Http2Stream send(String path) throws IOException {
    Http2Stream stream = client.engine().newStream(get(path), true, WAIT);
    FramePeer.Head head = peer.expectHeaders(stream.id());
    assertThat(head.fields().get(":path")).isEqualTo(path);
    assertThat(head.endStream()).isTrue();
    return stream;
  }

  private static ThrowingConsumer<Throwable> reset(ErrorCode error, boolean retryable) {
    return t -> {
      assertThat(t).isInstanceOf(StreamResetException.class);
      StreamResetException e = (StreamResetException) t;
      assertThat(e.error()).as("error of %s", e).isEqualTo(error);
      assertThat(e.isRetryable()).as("retryable: %s", e).isEqualTo(retryable);
    };
  }

  @Test
  void dataIsDeliveredWhenAStreamErrorFollowsItInTheSameRead() throws Exception {
    start();
    Http2Stream stream = send("/");
    peer.headers(1, false, ":status", "200");
    assertThat(stream.awaitResponse(WAIT).status()).isEqualTo(200);
    // DATA, then a whole max-size frame that is a stream error (PRIORITY must be 5 bytes), in
    // one write: readers are woken only once no whole frame is buffered, and the stream error
    // is answered inside the read loop, which must wake them before waiting on the socket.
    peer.writer().write(new Frame.Data(1, "part".getBytes(ISO_8859_1), false));
    peer.writer().writeHeader(16_384, FrameType.PRIORITY, 0, 3);
    peer.raw(new byte[16_384]);
    byte[] got = new byte[4];
    assertThat(stream.input().read(got)).isEqualTo(4);
    assertThat(new String(got, ISO_8859_1)).isEqualTo("part");
    peer.expectRstStream(3, ErrorCode.FRAME_SIZE_ERROR);
  }

  @Test
  void aReadTimedByTheOwnerEndsOnlyWhenItsTimerSaysSo() throws Exception {
    start();
    client.engine().timeReadsByOwner();
    Http2Stream stream = send("/");
    peer.headers(1, false, ":status", "200");
    assertThat(stream.awaitResponse(WAIT).status()).isEqualTo(200);
    CompletableFuture<Integer> first = readOne(stream);
    // Within the idle timeout (the default, 60 s), the owner's timer ends no read.
    for (int i = 0; i < 5; i++) client.engine().sweep(System.nanoTime());
    peer.data(1, false, "a");
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo('a');

    CompletableFuture<Integer> second = readOne(stream);
    long idle = Http2Config.DEFAULTS.idleTimeout().toNanos();
    // Past it, the waiting read fails; until the read waits, the timer finds none to end.
    while (!second.isDone()) {
      client.engine().sweep(System.nanoTime() + idle);
      try {
        second.get(10, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        // not yet waiting, or done: the loop's condition decides
      }
    }
    assertThatThrownBy(second::join).hasRootCauseInstanceOf(SocketTimeoutException.class);
    // The stream lives on: a read after the timeout gets what arrives later.
    peer.data(1, true, "b");
    assertThat(stream.input().read()).isEqualTo('b');
    assertThat(stream.input().read()).isEqualTo(-1);
  }

  private static CompletableFuture<Integer> readOne(Http2Stream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return stream.input().read();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @Test
  void prefaceDisablesPushAndStreamIdsAreOdd() throws IOException {
    start();
    assertThat(peer.otherSettings().get(Http2Settings.ENABLE_PUSH, -1)).isZero();
    assertThat(send("/a").id()).isEqualTo(1);
    assertThat(send("/b").id()).isEqualTo(3);
  }

  @Test
  void requestAndResponseWithBodyAndTrailers() throws IOException {
    start();
    Http2Stream stream =
        client
            .engine()
            .newStream(
                HttpFields.of(
                    ":method",
                    "POST",
                    ":scheme",
                    "http",
                    ":authority",
                    "localhost",
                    ":path",
                    "/up"),
                false,
                WAIT);
    stream.output().write("request".getBytes(ISO_8859_1));
    stream.output().close();
    assertThat(peer.expectHeaders(1).endStream()).isFalse();
    Frame.Data data = peer.expectData(1);
    assertThat(new String(data.bytes(), ISO_8859_1)).isEqualTo("request");
    assertThat(peer.trace())
        .containsSubsequence(
            "<< HEADERS 1 END_HEADERS :method=POST :scheme=http :authority=localhost :path=/up",
            "<< DATA 1 END_STREAM 7");
    peer.headers(1, false, ":status", "201", "content-length", "8");
    peer.data(1, false, "response".getBytes(ISO_8859_1));
    peer.headers(1, true, "x-trailer", "t");
    ResponseHead head = stream.awaitResponse(WAIT);
    assertThat(head.status()).isEqualTo(201);
    assertThat(head.contentLength()).isEqualTo(8);
    assertThat(new String(stream.input().readAllBytes(), ISO_8859_1)).isEqualTo("response");
    assertThat(stream.trailers()).isEqualTo(HttpFields.of("x-trailer", "t"));
    assertThat(client.engine().activeStreams()).isZero();
  }

  @Test
  void pushPromiseFromTheServerIsProtocolError() throws IOException {
    start();
    Http2Stream stream = send("/");
    peer.send(new Frame.PushPromise(1, 2, peer.encode(FramePeer.request("GET", "/pushed")), true));
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
    assertThatThrownBy(() -> stream.awaitResponse(WAIT))
        .satisfies(reset(ErrorCode.PROTOCOL_ERROR, false));
  }

  @Test
  void serverOpeningAStreamIsProtocolError() throws IOException {
    start();
    peer.headers(2, true, ":status", "200");
    peer.expectConnectionError(ErrorCode.PROTOCOL_ERROR);
  }

  @Test
  void responseWithoutStatusIsResetWithProtocolError() throws IOException {
    start();
    Http2Stream stream = send("/");
    peer.headers(1, true, "server", "scripted");
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertThatThrownBy(() -> stream.awaitResponse(WAIT))
        .satisfies(reset(ErrorCode.PROTOCOL_ERROR, false));
    // the connection goes on
    Http2Stream next = send("/next");
    peer.headers(next.id(), true, ":status", "204");
    assertThat(next.awaitResponse(WAIT).status()).isEqualTo(204);
  }

  @Test
  void malformedResponseHeaderIsReset() throws IOException {
    start();
    Http2Stream stream = send("/");
    peer.headers(1, true, ":status", "200", "Upper", "x");
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertThatThrownBy(() -> stream.awaitResponse(WAIT))
        .satisfies(reset(ErrorCode.PROTOCOL_ERROR, false));
  }

  @Test
  void informationalResponsesPrecedeTheFinalOne() throws IOException {
    start();
    Http2Stream stream = send("/");
    peer.headers(1, false, ":status", "100");
    peer.headers(1, false, ":status", "103", "link", "</style.css>; rel=preload");
    peer.headers(1, false, ":status", "200", "content-type", "text/plain");
    peer.data(1, true, "final".getBytes(ISO_8859_1));
    ResponseHead head = stream.awaitResponse(WAIT);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.headers().get("content-type")).isEqualTo("text/plain");
    assertThat(new String(stream.input().readAllBytes(), ISO_8859_1)).isEqualTo("final");
  }

  @Test
  void awaitHeadHandsOutTheInterimHeadsInOrderThenTheFinalOne() throws IOException {
    start();
    Http2Stream stream = send("/");
    peer.headers(1, false, ":status", "100");
    peer.headers(1, false, ":status", "103", "link", "</style.css>; rel=preload");
    peer.headers(1, false, ":status", "200");
    peer.data(1, true, "final".getBytes(ISO_8859_1));
    assertThat(stream.awaitHead(WAIT).status()).isEqualTo(100);
    ResponseHead hints = stream.awaitHead(WAIT);
    assertThat(hints.status()).isEqualTo(103);
    assertThat(hints.headers().get("link")).isEqualTo("</style.css>; rel=preload");
    assertThat(stream.awaitHead(WAIT).status()).isEqualTo(200);
    assertThat(stream.awaitHead(WAIT).status()).as("the final head stays").isEqualTo(200);
  }

  @Test
  void aStreamKeepsOnlyAFewUnreadInterimHeads() throws IOException {
    start();
    Http2Stream stream = send("/");
    for (int i = 0; i < Http2Stream.MAX_INTERIM_HEADS + 50; i++) {
      peer.headers(1, false, ":status", "103", "n", Integer.toString(i));
    }
    peer.headers(1, true, ":status", "204");
    // The reader answers a PING after the frames before it: then every head has been taken in.
    peer.ping(7);
    assertThat(peer.awaitFrame(Frame.Ping.class).ack()).isTrue();
    int interim = 0;
    ResponseHead head;
    while ((head = stream.awaitHead(WAIT)).isInformational()) {
      assertThat(head.headers().get("n")).isEqualTo(Integer.toString(interim));
      interim++;
    }
    assertThat(head.status()).isEqualTo(204);
    assertThat(interim).isEqualTo(Http2Stream.MAX_INTERIM_HEADS);
  }

  @Test
  void informationalResponseWithEndStreamIsReset() throws IOException {
    start();
    Http2Stream stream = send("/");
    peer.headers(1, true, ":status", "103");
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertThatThrownBy(() -> stream.awaitResponse(WAIT))
        .satisfies(reset(ErrorCode.PROTOCOL_ERROR, false));
  }

  @Test
  void responseBodyShorterThanContentLengthIsReset() throws IOException {
    start();
    Http2Stream stream = send("/");
    peer.headers(1, false, ":status", "200", "content-length", "10");
    peer.data(1, true, "short".getBytes(ISO_8859_1));
    peer.expectRstStream(1, ErrorCode.PROTOCOL_ERROR);
    assertThat(stream.awaitResponse(WAIT).status()).isEqualTo(200);
    assertThatThrownBy(() -> stream.input().readAllBytes())
        .satisfies(reset(ErrorCode.PROTOCOL_ERROR, false));
  }

  @Test
  void goAwayFailsStreamsAboveItsLastIdAsRetryable() throws IOException {
    start();
    Http2Stream first = send("/1");
    Http2Stream second = send("/3");
    Http2Stream third = send("/5");
    peer.send(new Frame.GoAway(1, ErrorCode.NO_ERROR, "draining"));
    assertThatThrownBy(() -> second.awaitResponse(WAIT))
        .satisfies(reset(ErrorCode.REFUSED_STREAM, true));
    assertThatThrownBy(() -> third.awaitResponse(WAIT))
        .satisfies(reset(ErrorCode.REFUSED_STREAM, true));
    assertThat(client.engine().isShutdown()).isTrue();
    assertThatThrownBy(() -> client.engine().newStream(get("/later"), true, WAIT))
        .satisfies(reset(ErrorCode.REFUSED_STREAM, true));
    // stream 1 was taken: it completes
    peer.headers(1, false, ":status", "200");
    peer.data(1, true, "one".getBytes(ISO_8859_1));
    assertThat(first.awaitResponse(WAIT).status()).isEqualTo(200);
    assertThat(new String(first.input().readAllBytes(), ISO_8859_1)).isEqualTo("one");
    peer.expectClosed(); // nothing left: the client closes
  }

  @Test
  void goAwayWithErrorFailsEverything() throws IOException {
    start();
    Http2Stream first = send("/1");
    Http2Stream second = send("/3");
    peer.send(new Frame.GoAway(1, ErrorCode.INTERNAL_ERROR, "boom"));
    assertThatThrownBy(() -> second.awaitResponse(WAIT))
        .satisfies(reset(ErrorCode.REFUSED_STREAM, true));
    assertThatThrownBy(() -> first.awaitResponse(WAIT))
        .isInstanceOfSatisfying(
            StreamResetException.class, e -> assertThat(e.isRetryable()).isFalse());
    peer.expectClosed();
  }

  @Test
  void aResponseThatArrivedWholeSurvivesAnErrorGoAway() throws IOException {
    start();
    // The request body is still open (a duplex upload): the stream is half-closed (remote) once
    // the response ended, and is still open when the GOAWAY comes.
    Http2Stream uploading = client.engine().newStream(get("/1"), false, WAIT);
    peer.expectHeaders(1);
    Http2Stream done = send("/3");
    peer.headers(1, false, ":status", "200");
    peer.data(1, true, "one".getBytes(ISO_8859_1));
    peer.headers(3, false, ":status", "200");
    peer.data(3, true, "three".getBytes(ISO_8859_1));
    peer.send(new Frame.GoAway(3, ErrorCode.INTERNAL_ERROR, "boom"));
    peer.expectClosed();
    assertThat(done.awaitResponse(WAIT).status()).isEqualTo(200);
    assertThat(new String(done.input().readAllBytes(), ISO_8859_1)).isEqualTo("three");
    assertThat(uploading.awaitResponse(WAIT).status()).isEqualTo(200);
    assertThat(new String(uploading.input().readAllBytes(), ISO_8859_1)).isEqualTo("one");
  }

  @Test
  void refusedStreamIsRetryableButCancelIsNot() throws IOException {
    start();
    Http2Stream refused = send("/1");
    Http2Stream cancelled = send("/3");
    peer.send(new Frame.RstStream(1, ErrorCode.REFUSED_STREAM));
    peer.send(new Frame.RstStream(3, ErrorCode.CANCEL));
    assertThatThrownBy(() -> refused.awaitResponse(WAIT))
        .satisfies(reset(ErrorCode.REFUSED_STREAM, true));
    assertThatThrownBy(() -> cancelled.awaitResponse(WAIT))
        .satisfies(reset(ErrorCode.CANCEL, false));
    assertThat(client.engine().isShutdown()).isFalse();
    assertThat(client.engine().activeStreams()).isZero();
  }

  @Test
  void newStreamWaitsForASlot() throws Exception {
    start(Http2Settings.EMPTY.with(Http2Settings.MAX_CONCURRENT_STREAMS, 1));
    Http2Stream first = send("/1");
    assertThat(client.engine().hasCapacity()).isFalse();
    assertThatThrownBy(
            () -> client.engine().newStream(get("/x"), true, TimeUnit.MILLISECONDS.toNanos(50)))
        .isInstanceOf(SocketTimeoutException.class);
    CompletableFuture<Http2Stream> waiting = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                waiting.complete(client.engine().newStream(get("/2"), true, WAIT));
              } catch (Throwable t) {
                waiting.completeExceptionally(t);
              }
            });
    peer.headers(1, true, ":status", "204");
    assertThat(first.awaitResponse(WAIT).status()).isEqualTo(204);
    FramePeer.Head head = peer.expectHeaders(3); // only now, once stream 1 ended
    assertThat(head.fields().get(":path")).isEqualTo("/2");
    assertThat(waiting)
        .succeedsWithin(Duration.ofSeconds(5))
        .extracting(Http2Stream::id)
        .isEqualTo(3);
  }

  @Test
  void pingCompletesOnItsAck() throws Exception {
    start().answerPings(false);
    CompletableFuture<Void> pong = client.engine().ping();
    Frame.Ping ping = peer.expect(Frame.Ping.class);
    assertThat(ping.ack()).isFalse();
    assertThat(pong).isNotDone();
    peer.send(new Frame.Ping(true, ping.payload()));
    assertThat(pong).succeedsWithin(Duration.ofSeconds(5));
  }

  @Test
  void serverPingIsAnswered() throws IOException {
    start();
    peer.send(new Frame.Ping(false, 31337));
    assertThat(peer.expect(Frame.Ping.class)).isEqualTo(new Frame.Ping(true, 31337));
  }

  @Test
  void headersAfterEndStreamOnAClosedStreamIsStreamClosed() throws IOException {
    start();
    Http2Stream stream = send("/");
    peer.headers(1, true, ":status", "200");
    assertThat(stream.awaitResponse(WAIT).status()).isEqualTo(200);
    peer.headers(1, true, ":status", "200");
    peer.expectConnectionError(ErrorCode.STREAM_CLOSED);
  }
}
