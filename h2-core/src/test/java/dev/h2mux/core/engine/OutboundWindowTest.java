package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The send window's arithmetic, with no connection: §6.9.1 overflow and §6.9.2 shifts. */
class OutboundWindowTest {
  private static final int MAX = Integer.MAX_VALUE;

  @Test
  void theLimitIs2To31Minus1() {
    assertThat(OutboundWindow.MAX).isEqualTo((1L << 31) - 1);
  }

  @ParameterizedTest(name = "window {0}, take up to {1} -> {2}, window then {3}")
  @CsvSource(
      textBlock =
          """
          # window      max          granted      window after
          10,           3,           3,           7
          10,           10,          10,          0
          10,           100,         10,          0
          0,            5,           0,           0
          10,           0,           0,           10
          2147483647,   16384,       16384,       2147467263
          -100,         5,           0,           -100
          """)
  void creditIsTakenUpToWhatIsLeft(int window, int max, int granted, int after) {
    OutboundWindow w = window(window);
    assertThat(w.take(max)).isEqualTo(granted);
    assertThat(w.window()).isEqualTo(after);
    assertThat(w.available()).isEqualTo(Math.max(0, after));
  }

  @ParameterizedTest(name = "window {0} + WINDOW_UPDATE {1} -> {2}")
  @CsvSource(
      textBlock =
          """
          # window      increment    result (FLOW_CONTROL_ERROR: window unchanged)
          0,            1,           1
          65535,        1,           65536
          65535,        2147418112,  2147483647
          65535,        2147418113,  FLOW_CONTROL_ERROR
          2147483647,   1,           FLOW_CONTROL_ERROR
          0,            2147483647,  2147483647
          1,            2147483647,  FLOW_CONTROL_ERROR
          -50000,       2147483647,  2147433647
          -50000,       10000,       -40000
          """)
  void windowUpdatePast2To31Minus1IsAFlowControlError(int window, int increment, String result) {
    OutboundWindow w = window(window);
    boolean overflow = result.equals("FLOW_CONTROL_ERROR");
    assertThat(w.add(increment)).isEqualTo(!overflow);
    assertThat(w.window()).isEqualTo(overflow ? window : Integer.parseInt(result));
  }

  /**
   * §6.9.2: the peer changes SETTINGS_INITIAL_WINDOW_SIZE from {@code before} to {@code after}
   * while {@code sent} bytes of a stream's window are in use and WINDOW_UPDATEs added {@code
   * updated}; the window moves by the difference.
   */
  @ParameterizedTest(name = "initial {0} -> {1} with {2} sent, {3} updated -> window {4}")
  @CsvSource(
      textBlock =
          """
          # before      after        sent         updated   window (FLOW_CONTROL_ERROR: unchanged)
          65535,        65535,       1000,        0,        64535
          65535,        1048576,     1000,        0,        1047576
          65535,        16384,       60000,       0,        -43616
          65535,        16384,       60000,       50000,    6384
          65535,        0,           65535,       0,        -65535
          65535,        0,           0,           0,        0
          0,            2147483647,  0,           0,        2147483647
          2147483647,   0,           2147483647,  0,        -2147483647
          65535,        2147483647,  0,           0,        2147483647
          65535,        2147483647,  1,           0,        2147483646
          65535,        2147483647,  0,           1,        FLOW_CONTROL_ERROR
          65535,        2147483647,  1000,        1000,     2147483647
          65535,        2147483647,  1000,        1001,     FLOW_CONTROL_ERROR
          """)
  void initialWindowChangeShiftsTheWindowEvenBelowZero(
      int before, int after, int sent, int updated, String result) {
    OutboundWindow w = new OutboundWindow(before);
    assertThat(w.take(sent)).isEqualTo(sent);
    if (updated > 0) assertThat(w.add(updated)).isTrue();
    boolean overflow = result.equals("FLOW_CONTROL_ERROR");
    assertThat(w.shift(after - before)).isEqualTo(!overflow);
    assertThat(w.window()).isEqualTo(overflow ? before - sent + updated : Integer.parseInt(result));
  }

  @Test
  void aNegativeWindowSendsNothingUntilUpdatesBringItAboveZero() {
    OutboundWindow w = new OutboundWindow(65_535);
    w.take(65_535);
    assertThat(w.shift(16_384 - 65_535)).isTrue(); // SETTINGS_INITIAL_WINDOW_SIZE 16384
    assertThat(w.window()).isEqualTo(-49_151);
    assertThat(w.take(1)).isZero();
    assertThat(w.add(49_151)).isTrue();
    assertThat(w.take(1)).isZero();
    assertThat(w.add(10)).isTrue();
    assertThat(w.take(100)).isEqualTo(10);
  }

  @Test
  void invalidArgumentsAreRefused() {
    OutboundWindow w = new OutboundWindow(10);
    assertThatThrownBy(() -> w.add(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.take(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OutboundWindow(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A window at {@code value}, reached the way the engine can: an initial window, then shifts. */
  private static OutboundWindow window(int value) {
    if (value >= 0) return new OutboundWindow(value);
    OutboundWindow w = new OutboundWindow(0);
    assertThat(w.shift(value)).isTrue();
    return w;
  }
}
