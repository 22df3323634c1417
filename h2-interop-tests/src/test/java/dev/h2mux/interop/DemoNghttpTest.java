package dev.h2mux.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.h2mux.interop.NghttpFrames.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo's deliberate HTTP/2 behaviours as nghttp (Debian package {@code nghttp2-client}) sees
 * them frame by frame, over h2c and TLS: interim HEADERS, one DATA frame per chunk, RST_STREAM and
 * GOAWAY with their codes, CONTINUATION, WINDOW_UPDATE while the server reads slowly, PING, and
 * request trailers echoed back.
 */
class DemoNghttpTest extends DemoServers {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Path nghttp;
  @TempDir Path dir;

  @BeforeEach
  void findNghttp() {
    nghttp = ExternalTool.require("nghttp", "nghttp2-client");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void interimResponseIsAHeadersFrameOfItsOwn(boolean tls) throws Exception {
    Processes.Result result = nghttp("-v", "-n", url(tls, "/status/103"));
    List<Frame> heads = ofType(result, "HEADERS");
    assertThat(heads).hasSize(2);
    assertThat(heads.get(0).endStream()).isFalse();
    assertThat(result.stdout()).containsPattern(":status: 103[\\s\\S]*:status: 200");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void streamSendsEachChunkAsItsOwnDataFrame(boolean tls) throws Exception {
    Processes.Result result = nghttp("-v", "-n", url(tls, "/stream/5"));
    List<Frame> data = ofType(result, "DATA");
    assertThat(data).hasSize(5);
    assertThat(data).allMatch(f -> f.length() == "{\"chunk\": 1, \"of\": 5}\n".length());
    assertThat(data.subList(0, 4)).noneMatch(Frame::endStream);
    assertThat(data.get(4).endStream()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void resetIsRstStreamWithTheCodeAndOtherStreamsGoOn(boolean tls) throws Exception {
    Processes.Result result =
        nghttp("-v", "-n", url(tls, "/reset?code=ENHANCE_YOUR_CALM&after=100"), url(tls, "/get"));
    List<Frame> frames = NghttpFrames.received(result.stdout());
    Frame rst = only(frames, "RST_STREAM");
    assertThat(rst.detail()).contains("error_code=ENHANCE_YOUR_CALM(0x0b)");
    int dataBefore =
        frames.subList(0, frames.indexOf(rst)).stream()
            .filter(f -> f.type().equals("DATA") && f.streamId() == rst.streamId())
            .mapToInt(Frame::length)
            .sum();
    assertThat(dataBefore).as(result.describe()).isEqualTo(100);
    // the other stream on the same connection completes
    assertThat(frames)
        .anyMatch(f -> f.streamId() != rst.streamId() && f.type().equals("DATA") && f.endStream());

    Processes.Result before = nghttp("-v", "-n", url(tls, "/reset?code=REFUSED_STREAM"));
    List<Frame> only = NghttpFrames.received(before.stdout());
    assertThat(only(only, "RST_STREAM").detail()).contains("error_code=REFUSED_STREAM(0x07)");
    assertThat(only).noneMatch(f -> f.type().equals("HEADERS"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void goAwayCarriesTheCodeAndLastStreamWhichIsStillAnswered(boolean tls) throws Exception {
    Processes.Result result = nghttp("-v", "-n", url(tls, "/goaway?code=ENHANCE_YOUR_CALM"));
    List<Frame> frames = NghttpFrames.received(result.stdout());
    Frame goAway = only(frames, "GOAWAY");
    Frame request =
        NghttpFrames.parseVerbose(result.stdout()).stream()
            .filter(f -> !f.received() && f.type().equals("HEADERS"))
            .findFirst()
            .orElseThrow();
    assertThat(goAway.detail())
        .contains("last_stream_id=" + request.streamId())
        .contains("error_code=ENHANCE_YOUR_CALM(0x0b)");
    assertThat(frames)
        .as("the stream named last is answered")
        .anyMatch(f -> f.streamId() == request.streamId() && f.endStream());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void bigHeaderSectionsAreSplitIntoContinuationFrames(boolean tls) throws Exception {
    Processes.Result result = nghttp("-n", "--hexdump", url(tls, "/headers-big?kb=48"));
    assertThat(result.exitCode()).as(result.describe()).isZero();
    List<Frame> wire = NghttpFrames.parseHexdump(result.stdout());
    int first = -1;
    for (int i = 0; i < wire.size(); i++) {
      if (wire.get(i).type().equals("HEADERS")) {
        first = i;
        break;
      }
    }
    assertThat(first).as("a HEADERS frame in %s", wire).isNotNegative();
    assertThat(wire.get(first).endHeaders()).isFalse();
    List<Frame> block = new ArrayList<>(List.of(wire.get(first)));
    for (int i = first + 1; !block.getLast().endHeaders(); i++) {
      assertThat(wire.get(i).type()).as("frame %d of the block", i).isEqualTo("CONTINUATION");
      block.add(wire.get(i));
    }
    assertThat(block).hasSizeGreaterThanOrEqualTo(3); // 48 KiB in frames of at most 16 KiB
    assertThat(block).allMatch(f -> f.length() <= 16_384);
    assertThat(block.stream().mapToInt(Frame::length).sum()).isGreaterThan(46 * 1024);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void slowWindowMakesTheClientWaitForWindowUpdates(boolean tls) throws Exception {
    Path upload = Bodies.patternFile(dir, "upload", 3 * Bodies.MIB);
    Processes.Result result =
        nghttp("-v", "-d", upload.toString(), url(tls, "/slow-window?rate=3145728"));
    assertThat(result.exitCode()).as(result.describe()).isZero();
    List<Frame> updates =
        NghttpFrames.received(result.stdout()).stream()
            .filter(f -> f.type().equals("WINDOW_UPDATE") && f.streamId() != 0)
            .toList();
    // 3 MiB through a 1 MiB stream window: the client cannot finish without the server's credit
    assertThat(updates).hasSizeGreaterThanOrEqualTo(2);
    Path json = dir.resolve("slow.json");
    Matcher document = Pattern.compile("(?s)\\{\\n  \"bytes\".*?\\n}\\n").matcher(result.stdout());
    assertThat(document.find()).as(result.describe()).isTrue();
    Files.writeString(json, document.group());
    assertThat(PythonJson.eval(json, "[d['bytes'], d['sha256'], d['complete']]"))
        .isEqualTo("[3145728, \"" + Bodies.sha256(upload) + "\", true]");
    // the client ran ahead and filled the window while the server read slowly
    assertThat(Long.parseLong(PythonJson.eval(json, "d['peak_unread_bytes']")))
        .isGreaterThanOrEqualTo(256 * 1024);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void pingFramesGoOutDuringTheResponseAndTheRoundTripIsATrailer(boolean tls) throws Exception {
    Processes.Result result = nghttp("-v", "-n", url(tls, "/ping?count=3"));
    List<Frame> frames = NghttpFrames.parseVerbose(result.stdout());
    List<Frame> pings =
        frames.stream().filter(f -> f.received() && f.type().equals("PING")).toList();
    List<Frame> acks =
        frames.stream().filter(f -> !f.received() && f.type().equals("PING")).toList();
    assertThat(pings).hasSize(3).allMatch(f -> (f.flags() & 0x1) == 0 && f.length() == 8);
    assertThat(acks).hasSize(3).allMatch(f -> (f.flags() & 0x1) != 0);
    assertThat(result.stdout())
        .containsPattern("x-ping-rtt-ms: \\d+\\.\\d{3}, \\d+\\.\\d{3}, \\d+\\.\\d{3}");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void requestTrailersAreEchoedAndInspected(boolean tls) throws Exception {
    Path upload = dir.resolve("five");
    Files.writeString(upload, "hello");
    Processes.Result trailers =
        nghttp(
            "-v",
            "-n",
            "-d",
            upload.toString(),
            "--trailer",
            "x-sum: 42",
            url(tls, "/trailers?x-a=1"));
    assertThat(trailers.stdout())
        .containsPattern("recv \\(stream_id=\\d+\\) x-a: 1")
        .containsPattern("recv \\(stream_id=\\d+\\) x-sum: 42")
        .containsPattern("recv \\(stream_id=\\d+\\) x-request-bytes: 5");
    Processes.Result anything =
        nghttp("-d", upload.toString(), "--trailer", "x-sum: 42", url(tls, "/anything"));
    Path json = dir.resolve("anything.json");
    Files.copy(anything.stdoutFile(), json);
    assertThat(PythonJson.eval(json, "[d['trailers'], d['body']['bytes']]"))
        .isEqualTo("[[[\"x-sum\", \"42\"]], 5]");
  }

  // ---------------------------------------------------------------- helpers

  private static List<Frame> ofType(Processes.Result result, String type) {
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return NghttpFrames.received(result.stdout()).stream()
        .filter(f -> f.type().equals(type))
        .toList();
  }

  private static Frame only(List<Frame> frames, String type) {
    List<Frame> found = frames.stream().filter(f -> f.type().equals(type)).toList();
    assertThat(found).as("%s frames in %s", type, frames).hasSize(1);
    return found.get(0);
  }

  private Processes.Result nghttp(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(nghttp.toString(), "-t", "30"));
    command.addAll(List.of(args));
    return Processes.run(dir, TIMEOUT, command);
  }

  private static String url(boolean tls, String path) {
    return tls
        ? "https://127.0.0.1:" + DemoServers.tls.port() + path
        : "http://127.0.0.1:" + cleartext.port() + path;
  }
}
