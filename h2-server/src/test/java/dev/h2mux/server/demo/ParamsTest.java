package dev.h2mux.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.h2mux.server.Http2ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {
  @Test
  void decodesLikeAnHtmlForm() {
    Params params = Params.parse("a=1&a=2&b=x+y%21&&c&d=%zz&e=%E2%82%AC&f=%FF");
    assertThat(params.pairs())
        .containsExactly(
            Map.entry("a", "1"),
            Map.entry("a", "2"),
            Map.entry("b", "x y!"),
            Map.entry("c", ""),
            Map.entry("d", "%zz"),
            Map.entry("e", "\u20ac"),
            Map.entry("f", "\ufffd"));
    assertThat(params.raw()).isEqualTo("a=1&a=2&b=x+y%21&&c&d=%zz&e=%E2%82%AC&f=%FF");
    assertThat(Params.parse("").pairs()).isEmpty();
  }

  @Test
  void onlyAsciiHexDigitsMakeAnEscape() {
    assertThat(Params.formDecode("%\u0662e")).isEqualTo("%\u0662e");
    assertThat(Params.hexDigit('\u0662')).isEqualTo(-1);
    assertThat(Params.hexDigit('F')).isEqualTo(15);
  }

  @Test
  void integersAreCheckedWithAMessageThatSaysWhatIsAllowed() throws BadRequestException {
    assertThat(Params.integer("n", "42", 0, 100)).isEqualTo(42);
    for (String bad :
        new String[] {"", "-1", "+1", "1.5", " 1", "101", "1e3", "9999999999999999999"}) {
      assertThatThrownBy(() -> Params.integer("n", bad, 0, 100))
          .isInstanceOf(BadRequestException.class)
          .hasMessageStartingWith("n must be an integer in 0..100, got \"");
    }
  }

  @Test
  void repeatedAndUnknownParametersAreRefused() throws BadRequestException {
    Params params = Params.parse("a=1&a=2&b=3");
    assertThatThrownBy(() -> params.get("a")).hasMessage("a is given more than once");
    assertThat(params.get("b")).isEqualTo("3");
    assertThat(params.integer("z", 0, 9, 7)).isEqualTo(7);
    assertThatThrownBy(() -> params.allowOnly("/x", "a")).hasMessage("/x takes only a; got \"b\"");
    assertThatThrownBy(() -> params.allowOnly("/y"))
        .hasMessage("/y takes no parameters; got \"a\"");
  }

  @Test
  void errorCodesByNameOrNumber() throws BadRequestException {
    assertThat(Params.errorCode("code", "cancel")).isEqualTo(Http2ErrorCode.CANCEL);
    assertThat(Params.errorCode("code", "CANCEL")).isEqualTo(Http2ErrorCode.CANCEL);
    assertThat(Params.errorCode("code", "8")).isEqualTo(Http2ErrorCode.CANCEL);
    assertThat(Params.errorCode("code", "0xb")).isEqualTo(Http2ErrorCode.ENHANCE_YOUR_CALM);
    assertThat(Params.errorCode("code", "0")).isEqualTo(Http2ErrorCode.NO_ERROR);
    for (String bad : new String[] {"14", "-1", "0x", "CANCELLED", ""}) {
      assertThatThrownBy(() -> Params.errorCode("code", bad))
          .hasMessageStartingWith("code must be an HTTP/2 error code");
    }
  }

  @Test
  void quotedValuesAreShortAndPrintable() {
    assertThat(Params.quote("a\u0000\u00e9")).isEqualTo("\"a\\u0000\\u00e9\"");
    assertThat(Params.quote("x".repeat(100))).isEqualTo("\"" + "x".repeat(64) + "...\"");
  }
}
