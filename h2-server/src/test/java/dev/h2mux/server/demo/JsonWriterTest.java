package dev.h2mux.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonWriterTest {
  /** The one-string document for {@code value}, without its final newline. */
  private static String encoded(String value) {
    String text = new JsonWriter().value(value).text();
    return text.substring(0, text.length() - 1);
  }

  static Stream<Arguments> trickyValues() {
    return Stream.of(
        Arguments.of("a\"b", "\"a\\\"b\"", "a quote"),
        Arguments.of("a\\b", "\"a\\\\b\"", "a backslash"),
        Arguments.of("/", "\"/\"", "a slash stays"),
        Arguments.of("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"", "the short escapes"),
        Arguments.of("\0", "\"\\u0000\"", "NUL"),
        Arguments.of("\u001f", "\"\\u001f\"", "the last control character"),
        Arguments.of("\u007f", "\"\\u007f\"", "DEL"),
        Arguments.of("\u2028\u2029", "\"\\u2028\\u2029\"", "line separators, breaks in JavaScript"),
        Arguments.of("\ud800", "\"\\ud800\"", "a lone high surrogate"),
        Arguments.of("\udfff", "\"\\udfff\"", "a lone low surrogate"),
        Arguments.of("\udc00\ud800", "\"\\udc00\\ud800\"", "a pair in the wrong order"),
        Arguments.of("x\ud83d", "\"x\\ud83d\"", "a high surrogate at the end"),
        Arguments.of("\ud83d\ude00", "\"\ud83d\ude00\"", "a valid pair stays one code point"),
        Arguments.of("\u00ff\u0080", "\"\u00ff\u0080\"", "header bytes above 0x7f (ISO-8859-1)"),
        Arguments.of("\u00e9\u20ac", "\"\u00e9\u20ac\"", "other text as it is"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("trickyValues")
  void escapesEveryTrickyValue(String value, String expected, String what) {
    assertThat(encoded(value)).as(what).isEqualTo(expected);
  }

  @Test
  void everyCharacterGivesValidUtf8AndNoRawControlCharacter() throws CharacterCodingException {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0xffff; c++) {
      all.append(c); // every UTF-16 unit, lone surrogates included
    }
    byte[] utf8 = new JsonWriter().value(all.toString()).utf8();
    String decoded =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(utf8))
            .toString();
    String body = decoded.substring(1, decoded.length() - 2); // without quotes and newline
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      assertThat(c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029')
          .as("raw U+%04X", (int) c)
          .isFalse();
      // \udbff\udc00 in the input is a valid pair and stays one; no other surrogate is raw
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < body.length()
              && Character.isLowSurrogate(body.charAt(i + 1));
      assertThat(
              Character.isSurrogate(c)
                  && !pair
                  && !(i > 0 && Character.isHighSurrogate(body.charAt(i - 1))))
          .as("a lone surrogate left raw at %d", i)
          .isFalse();
    }
  }

  @Test
  void nonUtf8HeaderBytesBecomeTheirIso88591Characters() {
    // A header value received as the bytes FF FE 80 (not UTF-8) is the string "\u00ff\u00fe\u0080".
    byte[] utf8 = new JsonWriter().value("\u00ff\u00fe\u0080").utf8();
    assertThat(utf8)
        .containsExactly(
            '"', 0xc3 - 256, 0xbf - 256, 0xc3 - 256, 0xbe - 256, 0xc2 - 256, 0x80 - 256, '"', '\n');
  }

  @Test
  void indentsObjectsAndKeepsInlineContainersOnOneLine() {
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .member("a", 1)
            .member("b", true)
            .member("c", (String) null)
            .name("d")
            .beginArray()
            .beginInlineArray()
            .value("x")
            .value("y")
            .endArray()
            .endArray()
            .name("e")
            .beginObject()
            .endObject()
            .name("f")
            .value(1.5)
            .endObject();
    assertThat(json.text())
        .isEqualTo(
            """
            {
              "a": 1,
              "b": true,
              "c": null,
              "d": [
                ["x", "y"]
              ],
              "e": {},
              "f": 1.5
            }
            """);
  }

  @Test
  void namesAreEscapedToo() {
    String text = new JsonWriter().beginInlineObject().member("a\"\n", "v").endObject().text();
    assertThat(text).isEqualTo("{\"a\\\"\\n\": \"v\"}\n");
  }

  @Test
  void misuseIsRefused() {
    assertThatThrownBy(() -> new JsonWriter().beginObject().value("no name"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginArray().name("x"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginArray().endObject())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginObject().text())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().value(1).value(2))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().value(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
