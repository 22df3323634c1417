package dev.h2mux.core.hpack;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twitter.hpack.Encoder;
import dev.h2mux.core.HttpFields;
import dev.h2mux.core.frame.ErrorCode;
import dev.h2mux.core.frame.Http2Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The twitter-hpack adapter: one encoder and one decoder, blocks in wire order. */
class HpackTest {
  private final HpackEncoder encoder = new HpackEncoder();
  private final HpackDecoder decoder = new HpackDecoder(16 * 1024, 4096);

  private static HttpFields request() {
    return HttpFields.of(
        ":method",
        "GET",
        ":scheme",
        "https",
        ":authority",
        "example.com",
        ":path",
        "/index.html",
        "accept",
        "*/*",
        "x-custom",
        "value with spaces and ümlaut");
  }

  /** Encodes raw names (no lowercasing), as a misbehaving peer would. */
  private static byte[] rawBlock(String... namesAndValues) throws IOException {
    Encoder raw = new Encoder(4096);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      raw.encodeHeader(
          out,
          namesAndValues[i].getBytes(ISO_8859_1),
          namesAndValues[i + 1].getBytes(ISO_8859_1),
          false);
    }
    return out.toByteArray();
  }

  private static HttpFields head(String date) {
    return HttpFields.of(
        ":status", "200", "content-type", "text/plain", "content-length", "12", "date", date);
  }

  @Test
  void aHeadRepeatedOnceIndexedIsTheSameBlockAndStillDecodes() throws IOException {
    byte[] first = encoder.encode(head("Tue, 01 Dec 2026 18:00:00 GMT")); // literals, indexed
    byte[] second = encoder.encode(head("Tue, 01 Dec 2026 18:00:00 GMT")); // all indexed now
    byte[] third = encoder.encode(head("Tue, 01 Dec 2026 18:00:00 GMT"));
    assertThat(RepeatedBlock.indexedOnly(first)).isFalse();
    assertThat(RepeatedBlock.indexedOnly(second)).isTrue();
    assertThat(third).isSameAs(second); // not encoded again
    for (byte[] block : List.of(first, second, third)) {
      assertThat(decoder.decode(block).fields()).isEqualTo(head("Tue, 01 Dec 2026 18:00:00 GMT"));
    }
  }

  @Test
  void aRepeatedHeadIsEncodedAgainOnceTheTableChanged() throws IOException {
    // A small table, so that one large field evicts the head's entries.
    encoder.peerHeaderTableSize(256);
    List<HttpFields> sent = new ArrayList<>();
    List<byte[]> blocks = new ArrayList<>();
    HttpFields big = HttpFields.of(":status", "200", "x-big", "v".repeat(200));
    for (HttpFields fields :
        List.of(head("a"), head("a"), head("a"), big, head("a"), head("a"), head("b"), head("a"))) {
      sent.add(fields);
      blocks.add(encoder.encode(fields));
    }
    assertThat(blocks.get(2)).isSameAs(blocks.get(1));
    assertThat(blocks.get(4)).isNotSameAs(blocks.get(2)); // the big field evicted its entries
    for (int i = 0; i < blocks.size(); i++) {
      assertThat(decoder.decode(blocks.get(i)).fields()).isEqualTo(sent.get(i));
    }
  }

  @Test
  void aRepeatedBlockThatLeavesTheTableIsDecodedOnceAndOneThatChangesItEveryTime()
      throws IOException {
    HttpFields fields = HttpFields.of(":method", "GET", ":path", "/a");
    byte[] indexing = encoder.encode(fields); // :path /a is a literal with indexing
    byte[] indexed = encoder.encode(fields); // now both are indexed
    HpackDecoder.Block first = decoder.decode(indexing);
    // The same bytes again add the entry again: decoded anew, never the kept result.
    HpackDecoder.Block again = decoder.decode(indexing.clone());
    assertThat(again).isNotSameAs(first);
    assertThat(again.fields()).isEqualTo(fields);
    HpackDecoder.Block once = decoder.decode(indexed);
    assertThat(decoder.decode(indexed.clone())).isSameAs(once);
    assertThat(once.fields()).isEqualTo(fields);
    // A block that changes the table in between: the same bytes now mean something else (their
    // index names the newest entry, /b), and are decoded again; the kept result would say /a.
    decoder.decode(encoder.encode(HttpFields.of(":method", "GET", ":path", "/b")));
    HpackDecoder.Block after = decoder.decode(indexed.clone());
    assertThat(after).isNotSameAs(once);
    assertThat(after.fields()).isEqualTo(HttpFields.of(":method", "GET", ":path", "/b"));
  }

  @Test
  void indexedOnlyReadsMultiByteIndexesAndRejectsEverythingElse() {
    assertThat(RepeatedBlock.indexedOnly(new byte[] {(byte) 0x88, (byte) 0xff, 0x05})).isTrue();
    assertThat(RepeatedBlock.indexedOnly(new byte[] {(byte) 0xff, (byte) 0x85, 0x01})).isTrue();
    assertThat(RepeatedBlock.indexedOnly(new byte[] {(byte) 0xff, (byte) 0x85})).isFalse();
    assertThat(RepeatedBlock.indexedOnly(new byte[] {(byte) 0x88, 0x40})).isFalse(); // literal
    assertThat(RepeatedBlock.indexedOnly(new byte[] {0x3f, (byte) 0xe1, 0x1f})).isFalse(); // size
  }

  @Test
  void roundTripKeepsOrderAndRepeatedFields() throws IOException {
    HttpFields fields = request().add("cookie", "a=1").add("cookie", "b=2").add("x-empty", "");
    HpackDecoder.Block block = decoder.decode(encoder.encode(fields));
    assertThat(block.fields()).isEqualTo(fields);
    assertThat(block.tooLarge()).isFalse();
    assertThat(block.malformed()).isNull();
  }

  @Test
  void dynamicTableStaysInStepAcrossBlocks() throws IOException {
    byte[] first = encoder.encode(request());
    byte[] second = encoder.encode(request());
    assertThat(second.length).as("indexed the second time").isLessThan(first.length);
    assertThat(decoder.decode(first).fields()).isEqualTo(request());
    assertThat(decoder.decode(second).fields()).isEqualTo(request());
  }

  @ParameterizedTest
  @ValueSource(strings = {"authorization", "cookie", "set-cookie", "proxy-authorization"})
  void sensitiveFieldsAreNeverIndexed(String name) throws IOException {
    HttpFields fields = HttpFields.of(name, "secret-value-123");
    byte[] first = encoder.encode(fields);
    byte[] second = encoder.encode(fields);
    // RFC 7541 §6.2.3: literal never indexed starts with 0001.
    assertThat(first[0] & 0xf0).isEqualTo(0x10);
    assertThat(second).isEqualTo(first);
    assertThat(decoder.decode(first).fields()).isEqualTo(fields);
    assertThat(decoder.decode(second).fields()).isEqualTo(fields);
  }

  @Test
  void ordinaryFieldsAreIndexed() {
    HttpFields fields = HttpFields.of("x-token", "not-secret-value-123");
    byte[] first = encoder.encode(fields);
    byte[] second = encoder.encode(fields);
    assertThat(first[0] & 0xc0).as("literal with incremental indexing").isEqualTo(0x40);
    assertThat(second).hasSize(1); // one indexed field
  }

  @Test
  void tableSizeUpdateIsEmittedAtTheStartOfTheNextBlockOnly() throws IOException {
    HttpFields fields = HttpFields.of("x-a", "1");
    decoder.decode(encoder.encode(fields)); // fills the dynamic table
    encoder.peerHeaderTableSize(0);
    byte[] withUpdate = encoder.encode(fields);
    assertThat(withUpdate[0] & 0xff).as("dynamic table size update to 0").isEqualTo(0x20);
    byte[] after = encoder.encode(fields);
    assertThat(after[0] & 0xe0).as("no second update").isNotEqualTo(0x20);
    assertThat(after)
        .as("nothing indexed with a zero table")
        .isEqualTo(java.util.Arrays.copyOfRange(withUpdate, 1, withUpdate.length));
    assertThat(decoder.decode(withUpdate).fields()).isEqualTo(fields);
    assertThat(decoder.decode(after).fields()).isEqualTo(fields);
  }

  @Test
  void unchangedOrLargerTableSizeEmitsNothing() {
    encoder.peerHeaderTableSize(4096);
    assertThat(encoder.encode(HttpFields.of("x-a", "1"))[0] & 0xe0).isNotEqualTo(0x20);
    encoder.peerHeaderTableSize(65_536); // we never use more than 4096
    assertThat(encoder.encode(HttpFields.of("x-a", "1"))).hasSize(1); // indexed, no update
  }

  @Test
  void reductionThenIncreaseBetweenBlocksSignalsTheSmallestFirst() throws IOException {
    // RFC 7541 §4.2: the smallest size in the interval, then the final size.
    decoder.decode(encoder.encode(HttpFields.of("x-a", "1")));
    encoder.peerHeaderTableSize(0);
    encoder.peerHeaderTableSize(4096);
    byte[] block = encoder.encode(HttpFields.of("x-a", "1"));
    assertThat(block[0] & 0xff).as("update to 0").isEqualTo(0x20);
    assertThat(block[1] & 0xe0).as("then an update to 4096").isEqualTo(0x20);
    assertThat(decoder.decode(block).fields()).isEqualTo(HttpFields.of("x-a", "1"));
  }

  @Test
  void oversizeListIsReportedTooLargeWithoutHoldingIt() throws IOException {
    HpackDecoder small = new HpackDecoder(1024, 4096);
    HttpFields big = new HttpFields();
    for (int i = 0; i < 1000; i++) big.add("x-field-" + i, "v".repeat(1000));
    HpackDecoder.Block block = small.decode(encoder.encode(big));
    assertThat(block.tooLarge()).isTrue();
    long kept = 0;
    for (int i = 0; i < block.fields().size(); i++) {
      kept += block.fields().name(i).length() + block.fields().value(i).length() + 32;
    }
    assertThat(kept).isLessThanOrEqualTo(1024);
    // the decoder is still usable, and in step, for the next block
    assertThat(small.decode(encoder.encode(HttpFields.of("x-a", "b"))).fields())
        .isEqualTo(HttpFields.of("x-a", "b"));
  }

  @Test
  void hugeDeclaredLiteralLengthDoesNotAllocateIt() throws IOException {
    HpackDecoder small = new HpackDecoder(1024, 4096);
    // literal without indexing, new name "x", value length 2^30-ish, only a few bytes present
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(new byte[] {0x00, 0x01, 'x', 0x7f});
    block.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x03});
    block.writeBytes("abc".getBytes(ISO_8859_1));
    // The value never arrives: the block ends inside it, a COMPRESSION_ERROR — reached without
    // allocating the declared length (which would be an OutOfMemoryError here).
    assertThatThrownBy(() -> small.decode(block.toByteArray()))
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> assertThat(e.error()).isEqualTo(ErrorCode.COMPRESSION_ERROR));
  }

  @Test
  void headerListSizeCountsThirtyTwoBytesPerField() throws IOException {
    // 30 fields of name 2 + value 0 + 32 = 34 bytes: 1020 fits in 1024, 31 fields don't.
    HttpFields fits = new HttpFields();
    for (int i = 0; i < 30; i++) fits.add("x" + (char) ('a' + i % 26), "");
    assertThat(new HpackDecoder(1024, 4096).decode(encoder.encode(fits)).tooLarge()).isFalse();
    HttpFields over = fits.copy().add("yy", "");
    assertThat(new HpackDecoder(1024, 4096).decode(new HpackEncoder().encode(over)).tooLarge())
        .isTrue();
  }

  @Test
  void uppercaseNameIsMalformed() throws IOException {
    HpackDecoder.Block block = decoder.decode(rawBlock(":method", "GET", "X-Upper", "1"));
    assertThat(block.malformed()).contains("uppercase");
    assertThat(block.tooLarge()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {":", "x y", "x:y", "\u00e9"})
  void invalidNamesAreMalformed(String name) throws IOException {
    assertThat(decoder.decode(rawBlock(name, "v")).malformed()).isNotNull();
  }

  @Test
  void blockAfterAMalformedOneIsDecodedNormally() throws IOException {
    decoder.decode(rawBlock("Bad", "1"));
    HpackDecoder.Block next = decoder.decode(rawBlock("good", "2"));
    assertThat(next.malformed()).isNull();
    assertThat(next.fields()).isEqualTo(HttpFields.of("good", "2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"80", "bf", "ff8080808008", "3fe1ff0f", "400000"})
  void garbageIsACompressionErrorOnTheConnection(String hex) {
    // 80: index 0; bf: index 63 with an empty dynamic table; ff..: integer overflow;
    // 3fe1ff0f: table size update above our 4096; 400000: literal with an empty name.
    byte[] block = java.util.HexFormat.of().parseHex(hex);
    List<Object> unused = new ArrayList<>();
    assertThatThrownBy(() -> unused.add(decoder.decode(block)))
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(ErrorCode.COMPRESSION_ERROR);
              assertThat(e.isConnectionError()).isTrue();
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"41", "4103", "410361", "00", "0003", "000161", "3f", "bf80"})
  void aBlockEndingInsideARepresentationIsACompressionError(String hex) {
    // 41: literal with an indexed name and no value length; 4103/410361: value shorter than
    // its length; 00..: literal with a new name cut short; 3f: table size update cut short;
    // bf80: an indexed field whose multi-byte index never ends.
    byte[] block = java.util.HexFormat.of().parseHex(hex);
    assertThatThrownBy(() -> decoder.decode(block))
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(ErrorCode.COMPRESSION_ERROR);
              assertThat(e.isConnectionError()).isTrue();
            });
  }

  @Test
  void aCompleteBlockAfterATruncatedOneIsNotPoisoned() throws Exception {
    HpackDecoder fresh = new HpackDecoder(16 * 1024, 4096);
    assertThatThrownBy(() -> fresh.decode(java.util.HexFormat.of().parseHex("4103")))
        .isInstanceOf(Http2Exception.class);
    // the connection would end here; the decoder itself is left ready anyway
    assertThat(fresh.decode(java.util.HexFormat.of().parseHex("82")).fields())
        .isEqualTo(HttpFields.of(":method", "GET"));
  }
}
