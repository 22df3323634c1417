package dev.h2mux.core.hpack;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twitter.hpack.Huffman;
import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Http2Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pass over field blocks that finds the decoding errors twitter-hpack accepts: the examples of
 * RFC 7541 Appendix C still decode, and each bad shape is a COMPRESSION_ERROR.
 */
class FieldBlockCheckTest {
  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  private static HttpFields fields(String... namesAndValues) {
    return HttpFields.of(namesAndValues);
  }

  // ---------------------------------------------------------------- RFC 7541 Appendix C

  @Test
  void singleRepresentationsOfC2() throws Http2Exception {
    HpackDecoder decoder = new HpackDecoder(16_384, 4096);
    assertThat(
            decoder
                .decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"))
                .fields())
        .isEqualTo(fields("custom-key", "custom-header"));
    assertThat(decoder.decode(hex("040c 2f73 616d 706c 652f 7061 7468")).fields())
        .isEqualTo(fields(":path", "/sample/path"));
    assertThat(decoder.decode(hex("1008 7061 7373 776f 7264 0673 6563 7265 74")).fields())
        .isEqualTo(fields("password", "secret"));
    assertThat(decoder.decode(hex("82")).fields()).isEqualTo(fields(":method", "GET"));
  }

  private static final HttpFields REQUEST_1 =
      fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com");
  private static final HttpFields REQUEST_2 =
      REQUEST_1.copy().add("cache-control", "no-cache").freeze();
  private static final HttpFields REQUEST_3 =
      fields(
          ":method",
          "GET",
          ":scheme",
          "https",
          ":path",
          "/index.html",
          ":authority",
          "www.example.com",
          "custom-key",
          "custom-value");

  @Test
  void requestsOfC3WithoutHuffman() throws Http2Exception {
    HpackDecoder decoder = new HpackDecoder(16_384, 4096);
    assertThat(decoder.decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")).fields())
        .isEqualTo(REQUEST_1);
    assertThat(decoder.decode(hex("8286 84be 5808 6e6f 2d63 6163 6865")).fields())
        .isEqualTo(REQUEST_2);
    assertThat(
            decoder
                .decode(
                    hex(
                        "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75"
                            + " 65"))
                .fields())
        .isEqualTo(REQUEST_3);
  }

  @Test
  void requestsOfC4WithHuffman() throws Http2Exception {
    HpackDecoder decoder = new HpackDecoder(16_384, 4096);
    assertThat(decoder.decode(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")).fields())
        .isEqualTo(REQUEST_1);
    assertThat(decoder.decode(hex("8286 84be 5886 a8eb 1064 9cbf")).fields()).isEqualTo(REQUEST_2);
    assertThat(
            decoder
                .decode(hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))
                .fields())
        .isEqualTo(REQUEST_3);
  }

  private static final HttpFields RESPONSE_1 =
      fields(
          ":status",
          "302",
          "cache-control",
          "private",
          "date",
          "Mon, 21 Oct 2013 20:13:21 GMT",
          "location",
          "https://www.example.com");
  private static final HttpFields RESPONSE_2 =
      fields(
          ":status",
          "307",
          "cache-control",
          "private",
          "date",
          "Mon, 21 Oct 2013 20:13:21 GMT",
          "location",
          "https://www.example.com");
  private static final HttpFields RESPONSE_3 =
      fields(
          ":status",
          "200",
          "cache-control",
          "private",
          "date",
          "Mon, 21 Oct 2013 20:13:22 GMT",
          "location",
          "https://www.example.com",
          "content-encoding",
          "gzip",
          "set-cookie",
          "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1");

  @Test
  void responsesOfC5WithoutHuffmanAndEvictions() throws Http2Exception {
    HpackDecoder decoder = new HpackDecoder(16_384, 256);
    assertThat(
            decoder
                .decode(
                    hex(
                        "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420"
                            + " 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073"
                            + " 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"))
                .fields())
        .isEqualTo(RESPONSE_1);
    assertThat(decoder.decode(hex("4803 3330 37c1 c0bf")).fields()).isEqualTo(RESPONSE_2);
    assertThat(
            decoder
                .decode(
                    hex(
                        "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32"
                            + " 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48"
                            + " 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d"
                            + " 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31"))
                .fields())
        .isEqualTo(RESPONSE_3);
  }

  @Test
  void responsesOfC6WithHuffmanAndEvictions() throws Http2Exception {
    HpackDecoder decoder = new HpackDecoder(16_384, 256);
    assertThat(
            decoder
                .decode(
                    hex(
                        "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81"
                            + " 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae"
                            + " 43d3"))
                .fields())
        .isEqualTo(RESPONSE_1);
    assertThat(decoder.decode(hex("4883 640e ffc1 c0bf")).fields()).isEqualTo(RESPONSE_2);
    assertThat(
            decoder
                .decode(
                    hex(
                        "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a"
                            + " 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af"
                            + " 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106"
                            + " 3d50 07"))
                .fields())
        .isEqualTo(RESPONSE_3);
  }

  // ---------------------------------------------------------------- bad shapes

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    // RFC 7541 §4.2: a size update only before the first field of a block
    "82 21, size update at the end of a block (h2spec hpack 4.2/1)",
    "82 20 84, size update between fields",
    // §6.3: not above the size we allow (4096 here)
    "3fe21f 82, size update to 4097",
    // §5.2, the strings of h2spec hpack 5.2/1-3: padding of 8 or more bits, padding of zeros,
    // and EOS inside the string
    "0085f2b24a84ff8449509fff, Huffman padding longer than 7 bits",
    "0085f2b24a84ff83495090, Huffman padding of zeros",
    "0085f2b24a84ff874951fffffffa7f, Huffman string containing EOS",
    "018118, 'a' then three zero bits",
    "0184ffffffff, EOS alone",
    "0182 1fff, 'a' then eleven one bits",
    // §6.1: index 0
    "80, indexed field 0",
    // §5.1 and §6: integers and strings that don't fit the block or 31 bits
    "ff80808080 08, index above 2^31-1",
    "0f 8080808080 8001, overlong integer",
    "01 7f, string length past the end",
    "40 05 6162, name shorter than its length",
    "41, literal without its value",
  })
  void badBlocksAreCompressionErrors(String hex, String why) {
    assertThat(FieldBlockCheck.problem(hex(hex), 4096)).as(why).isNotNull();
    assertThatThrownBy(() -> new HpackDecoder(16_384, 4096).decode(hex(hex)))
        .as(why)
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(ErrorCode.COMPRESSION_ERROR);
              assertThat(e.isConnectionError()).isTrue();
            });
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "20 3fe11f 82, two size updates at the start (the smallest then the final, §4.2)",
    "3fe11f, a size update alone, to exactly 4096",
    "01811f, 'a' then three one bits",
    "0180, an empty Huffman string",
    "'', an empty block",
  })
  void goodShapesPass(String hex, String why) {
    assertThat(FieldBlockCheck.problem(hex(hex), 4096)).as(why).isNull();
  }

  // ---------------------------------------------------------------- the Huffman table itself

  @Test
  void everyOctetAsEncodedByTwitterHpackIsValidAndAnExtraOctetOfOnesIsNot() throws IOException {
    for (int b = 0; b < 256; b++) {
      byte[] code = huffman(new byte[] {(byte) b});
      assertThat(HuffmanCheck.isValid(code, 0, code.length)).as("octet %d", b).isTrue();
      byte[] padded = java.util.Arrays.copyOf(code, code.length + 1);
      padded[code.length] = (byte) 0xff;
      assertThat(HuffmanCheck.isValid(padded, 0, padded.length)).as("octet %d + ff", b).isFalse();
    }
  }

  @Test
  void randomStringsAsEncodedByTwitterHpackAreValid() throws IOException {
    SplittableRandom random = new SplittableRandom(7541);
    for (int i = 0; i < 2_000; i++) {
      byte[] s = new byte[random.nextInt(1, 64)];
      random.nextBytes(s);
      byte[] code = huffman(s);
      assertThat(HuffmanCheck.isValid(code, 0, code.length)).as("string %d", i).isTrue();
    }
    byte[] text = "custom-key: www.example.com".getBytes(ISO_8859_1);
    byte[] code = huffman(text);
    assertThat(HuffmanCheck.isValid(code, 0, code.length)).isTrue();
  }

  /** twitter-hpack's own Huffman encoder (its class is package-private: reached reflectively). */
  private static byte[] huffman(byte[] s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Object encoder = Huffman.class.getField("ENCODER").get(null);
      Method encode =
          encoder.getClass().getDeclaredMethod("encode", OutputStream.class, byte[].class);
      encode.setAccessible(true);
      encode.invoke(encoder, out, s);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("twitter-hpack's Huffman encoder", e);
    }
    return out.toByteArray();
  }
}
