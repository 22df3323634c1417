package dev.h2mux.core.engine;

import static dev.h2mux.testkit.FramePeer.request;

import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.testkit.EngineUnderTest;
import dev.h2mux.testkit.FramePeer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HPACK decoding errors of h2spec's hpack 4.2/1 and 5.2/1-3 over a connection: a request whose
 * field block carries one is a connection error of type COMPRESSION_ERROR (RFC 9113 §4.3).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HpackDecodingErrorsTest {
  private EngineUnderTest server;
  private FramePeer peer;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) server.close();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "21, a dynamic table size update at the end of the block (hpack 4.2/1)",
    "0085f2b24a84ff8449509fff, Huffman padding longer than 7 bits (hpack 5.2/1)",
    "0085f2b24a84ff83495090, Huffman padding of zeros (hpack 5.2/2)",
    "0085f2b24a84ff874951fffffffa7f, a Huffman string containing EOS (hpack 5.2/3)",
  })
  void aBadBlockIsACompressionError(String appended, String why) throws IOException {
    server =
        EngineUnderTest.server(
            Http2Config.DEFAULTS,
            stream -> stream.sendHeaders(HttpFields.of(":status", "200"), true));
    peer = server.peer();
    peer.handshake();
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(peer.encode(request("GET", "/")));
    block.writeBytes(HexFormat.of().parseHex(appended));
    peer.headersFragment(1, block.toByteArray(), true, true);
    peer.expectConnectionError(ErrorCode.COMPRESSION_ERROR);
  }
}
