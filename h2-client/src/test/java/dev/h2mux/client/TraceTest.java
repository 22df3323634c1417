package dev.h2mux.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.core.frame.Frame;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a {@link TraceListener} is told: typed events in the order they happen on the calling
 * thread, frames parsed by the core's reader, and the same events as lines for a listener of lines.
 */
class TraceTest {
  private static ServerFixture server;

  @BeforeAll
  static void start() throws Exception {
    server = new ServerFixture();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Keeps every event, typed. */
  private static final class Recorder implements TraceListener {
    final List<TraceEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void trace(TraceEvent event) {
      events.add(event);
    }

    @Override
    public void trace(String connection, Direction direction, String line) {
      throw new AssertionError("a typed listener is not given lines: " + line);
    }

    <T extends TraceEvent> List<T> all(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  @Test
  void http2HeadsAndFramesAreTypedEvents() throws Exception {
    Recorder trace = new Recorder();
    try (Http2Client client = Http2Client.builder().trace(trace).build()) {
      ClientResponse response =
          client.send(
              ClientRequest.builder(server.url("/echo?x=1"))
                  .method("POST")
                  .header("x-custom", "1")
                  .body("hi")
                  .build());
      assertThat(response.string()).isEqualTo("hi");
    }
    TraceEvent.Request request = trace.all(TraceEvent.Request.class).get(0);
    assertThat(request.protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(request.streamId()).isEqualTo(1);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).isEqualTo("/echo?x=1");
    assertThat(request.authority()).isEqualTo("127.0.0.1:" + server.server.port());
    assertThat(request.fields().name(0)).isEqualTo(":method"); // exactly as sent
    assertThat(request.lines())
        .containsExactly(
            "POST /echo?x=1 HTTP/2",
            "host: 127.0.0.1:" + server.server.port(),
            "x-custom: 1",
            "content-length: 2");
    TraceEvent.Response head = trace.all(TraceEvent.Response.class).get(0);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.reason()).isEmpty();
    assertThat(head.streamId()).isEqualTo(1);
    assertThat(head.lines().get(0)).isEqualTo("HTTP/2 200 ");
    // The request head is told before the response head: on the calling thread, in order.
    assertThat(trace.events.indexOf(request)).isLessThan(trace.events.indexOf(head));

    List<TraceEvent.Frame> frames = trace.all(TraceEvent.Frame.class);
    assertThat(frames)
        .anySatisfy(
            f -> {
              assertThat(f.direction()).isEqualTo(TraceListener.Direction.OUT);
              assertThat(f.frame())
                  .isInstanceOfSatisfying(
                      Frame.Headers.class, h -> assertThat(h.streamId()).isEqualTo(1));
            })
        .anySatisfy(
            f -> {
              assertThat(f.direction()).isEqualTo(TraceListener.Direction.IN);
              assertThat(f.frame()).isInstanceOf(Frame.Settings.class);
            })
        .anySatisfy(
            f -> {
              assertThat(f.direction()).isEqualTo(TraceListener.Direction.OUT);
              assertThat(f.lines()).containsExactly("DATA 1 END_STREAM 2");
            });
    // The preface is not a frame: the first frame the client sends is its SETTINGS.
    assertThat(frames.stream().filter(f -> f.direction() == TraceListener.Direction.OUT))
        .first()
        .satisfies(f -> assertThat(f.frame()).isInstanceOf(Frame.Settings.class));
    assertThat(trace.all(TraceEvent.Info.class))
        .extracting(TraceEvent.Info::text)
        .contains("connected to 127.0.0.1 port " + server.server.port());
  }

  @Test
  void http1HeadsCarryTheReasonPhrase() throws Exception {
    Recorder trace = new Recorder();
    try (Http2Client client =
        Http2Client.builder().connectionMode(ConnectionMode.HTTP_1_1).trace(trace).build()) {
      client.send(ClientRequest.get(URI.create(server.url("/hello")))).string();
    }
    TraceEvent.Request request = trace.all(TraceEvent.Request.class).get(0);
    assertThat(request.protocol()).isEqualTo(Protocol.HTTP_1_1);
    assertThat(request.streamId()).isZero();
    assertThat(request.lines())
        .containsExactly("GET /hello HTTP/1.1", "host: 127.0.0.1:" + server.server.port());
    TraceEvent.Response response = trace.all(TraceEvent.Response.class).get(0);
    assertThat(response.lines().get(0)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(trace.all(TraceEvent.Frame.class)).isEmpty();
  }

  @Test
  void aListenerOfLinesGetsEachEventAsLines() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    TraceListener listener = (connection, direction, line) -> lines.add(direction + " " + line);
    try (Http2Client client = Http2Client.builder().trace(listener).build()) {
      client.send(ClientRequest.get(URI.create(server.url("/hello")))).string();
    }
    assertThat(lines)
        .contains("OUT GET /hello HTTP/2", "IN HTTP/2 200 ", "IN content-length: 12")
        .anyMatch(l -> l.startsWith("OUT SETTINGS 0 ENABLE_PUSH=0 "))
        .anyMatch(l -> l.matches("OUT HEADERS 1 END_STREAM\\|END_HEADERS \\d+"))
        .anyMatch(l -> l.startsWith("INFO connected to 127.0.0.1 port "));
  }

  @Test
  void aListenerThatThrowsDoesNotFailTheRequest() throws Exception {
    TraceListener failing =
        (connection, direction, line) -> {
          throw new IllegalStateException("listener bug");
        };
    try (Http2Client client = Http2Client.builder().trace(failing).build()) {
      assertThat(client.send(ClientRequest.get(URI.create(server.url("/hello")))).string())
          .isEqualTo("hello HTTP/2");
      assertThat(client.send(ClientRequest.get(URI.create(server.url("/hello")))).string())
          .isEqualTo("hello HTTP/2");
    }
  }
}
