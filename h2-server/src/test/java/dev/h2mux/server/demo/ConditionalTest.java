package dev.h2mux.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionalTest {
  @Test
  void oneByteRangeInEachForm() {
    assertThat(Conditional.parseRange("bytes=0-9", 100)).containsExactly(0, 9);
    assertThat(Conditional.parseRange("bytes=90-200", 100)).containsExactly(90, 99);
    assertThat(Conditional.parseRange("bytes=95-", 100)).containsExactly(95, 99);
    assertThat(Conditional.parseRange("bytes=-10", 100)).containsExactly(90, 99);
    assertThat(Conditional.parseRange("bytes=-1000", 100)).containsExactly(0, 99);
    assertThat(Conditional.parseRange(" Bytes = 5 - 6 ", 100)).containsExactly(5, 6);
  }

  @Test
  void rangesPastTheEndAreUnsatisfiable() {
    assertThat(Conditional.parseRange("bytes=100-", 100)).isSameAs(Conditional.UNSATISFIABLE);
    assertThat(Conditional.parseRange("bytes=100-200", 100)).isSameAs(Conditional.UNSATISFIABLE);
    assertThat(Conditional.parseRange("bytes=-0", 100)).isSameAs(Conditional.UNSATISFIABLE);
    assertThat(Conditional.parseRange("bytes=0-", 0)).isSameAs(Conditional.UNSATISFIABLE);
    assertThat(Conditional.parseRange("bytes=-5", 0)).isSameAs(Conditional.UNSATISFIABLE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes=5-1",
        "bytes=a-b",
        "bytes=-",
        "bytes=1",
        "items=0-1",
        "bytes=0-1,5-6",
        "0-1"
      })
  void anythingElseIsIgnored(String header) {
    assertThat(Conditional.parseRange(header, 100)).isNull();
  }

  @Test
  void ifNoneMatchUsesTheWeakComparisonAndTakesPrecedence() {
    Conditional cache = new Conditional(Instant.parse("2024-01-02T03:04:05.678Z"));
    String etag =
        "\"h2mux-"
            + Long.toHexString(Instant.parse("2024-01-02T03:04:05Z").getEpochSecond())
            + "\"";
    assertThat(cache.notModified(etag, null)).isTrue();
    assertThat(cache.notModified("W/" + etag, null)).isTrue();
    assertThat(cache.notModified("\"other\", " + etag, null)).isTrue();
    assertThat(cache.notModified("*", null)).isTrue();
    assertThat(cache.notModified("\"other\"", null)).isFalse();
    // If-None-Match present: If-Modified-Since is ignored (RFC 9110 §13.1.3)
    assertThat(cache.notModified("\"other\"", "Tue, 02 Jan 2024 03:04:05 GMT")).isFalse();
  }

  @Test
  void ifModifiedSinceComparesWholeSeconds() {
    Conditional cache = new Conditional(Instant.parse("2024-01-02T03:04:05.678Z"));
    assertThat(cache.notModified(null, "Tue, 02 Jan 2024 03:04:05 GMT")).isTrue();
    assertThat(cache.notModified(null, "Wed, 03 Jan 2024 00:00:00 GMT")).isTrue();
    assertThat(cache.notModified(null, "Tue, 02 Jan 2024 03:04:04 GMT")).isFalse();
    assertThat(cache.notModified(null, "yesterday")).isFalse();
    assertThat(cache.notModified(null, null)).isFalse();
  }

  @Test
  void entityTagListsAreParsedUpToWhatIsMalformed() {
    assertThat(Conditional.entityTags("\"a\", W/\"b\" ,\"c,d\""))
        .containsExactly("\"a\"", "\"b\"", "\"c,d\"");
    assertThat(Conditional.entityTags("\"a\", junk, \"b\"")).containsExactly("\"a\"");
  }
}
