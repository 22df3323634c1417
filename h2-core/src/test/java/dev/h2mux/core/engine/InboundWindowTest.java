package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The receive window's arithmetic, with no connection: §6.9.1 limits and the half-window rule. */
class InboundWindowTest {
  private static final int MAX = Integer.MAX_VALUE;

  @ParameterizedTest(name = "window {0}, DATA of {1} -> {2}, window then {3}")
  @CsvSource(
      textBlock =
          """
          # window      flowLength   accepted  window after
          65535,        0,           true,     65535
          65535,        1,           true,     65534
          65535,        65535,       true,     0
          65535,        65536,       false,    65535
          0,            0,           true,     0
          0,            1,           false,    0
          2147483647,   2147483647,  true,     0
          """)
  void dataBeyondTheWindowIsAFlowControlError(
      int window, int flowLength, boolean accepted, int after) {
    InboundWindow w = new InboundWindow(window, Math.max(window, 1));
    assertThat(w.take(flowLength)).isEqualTo(accepted);
    assertThat(w.window()).isEqualTo(after);
  }

  /**
   * Consumed bytes go back to the peer once half the window's size is consumed, all at once. {@code
   * consumed} lists what the application consumes, one count after the other; {@code increments}
   * what each of them returns.
   */
  @ParameterizedTest(name = "size {0}: consumed {1} -> WINDOW_UPDATE {2}")
  @CsvSource(
      textBlock =
          """
          # size        consumed, one after the other        increments returned
          65535,        '32766 1',                           '0 32767'
          65535,        '10000 10000 10000 10000',           '0 0 0 40000'
          65535,        '65535',                             '65535'
          1048576,      '524287 1 524288',                   '0 524288 524288'
          16777216,     '8388607 2',                         '0 8388609'
          2,            '1 1',                               '1 1'
          1,            '1 0',                               '1 0'
          2147483647,   '1073741822 1',                      '0 1073741823'
          """)
  void halfTheWindowConsumedIsGivenBack(int size, String consumed, String increments) {
    InboundWindow w = new InboundWindow(size, size);
    String[] counts = consumed.split(" ");
    String[] expected = increments.split(" ");
    long taken = 0;
    for (String count : counts) taken += Integer.parseInt(count);
    assertThat(w.take((int) taken)).isTrue();
    long given = 0;
    for (int i = 0; i < counts.length; i++) {
      int increment = w.consumed(Integer.parseInt(counts[i]));
      assertThat(increment)
          .as("increment after consuming %s", counts[i])
          .isEqualTo(Integer.parseInt(expected[i]));
      given += increment;
    }
    // Whatever is given back is open again; the rest waits, unacknowledged.
    assertThat(w.window()).isEqualTo((int) (size - taken + given));
    assertThat(w.unacknowledged()).isEqualTo((int) (taken - given));
  }

  @Test
  void bytesConsumedButNotYetGivenBackAreNotInTheWindow() {
    InboundWindow w = new InboundWindow(100, 100);
    assertThat(w.take(100)).isTrue();
    assertThat(w.consumed(49)).isZero(); // below half: nothing sent, nothing reopened
    assertThat(w.take(1)).as("the peer can't have been told of those 49 bytes").isFalse();
    assertThat(w.consumed(1)).isEqualTo(50);
    assertThat(w.take(50)).isTrue();
    assertThat(w.take(1)).isFalse();
  }

  @Test
  void theWindowKeptOpenIsTheSizeNotTheInitialWindow() {
    // Before our SETTINGS are acknowledged the peer may assume 65,535 although we advertise less;
    // replenishing then follows what we advertise.
    InboundWindow w = new InboundWindow(65_535, 1_000);
    assertThat(w.take(65_535)).isTrue();
    assertThat(w.consumed(499)).isZero();
    assertThat(w.consumed(1)).isEqualTo(500);
  }

  @Test
  void anUpgradeBodyMayTakeTheWindowNegativeUntilItIsRead() {
    InboundWindow connection = new InboundWindow(65_535, 16 << 20);
    connection.takeUnchecked(100_000); // the h2c Upgrade request's body, read as HTTP/1.1
    assertThat(connection.window()).isEqualTo(65_535 - 100_000);
    assertThat(connection.take(1)).isFalse();
    assertThat(connection.take(0)).as("an empty DATA frame never exceeds a window").isTrue();
    connection.grow((16 << 20) - 65_535); // the WINDOW_UPDATE after our SETTINGS
    assertThat(connection.window()).isEqualTo((16 << 20) - 100_000);
    assertThat(connection.consumed(100_000)).isZero(); // below half of 16 MiB
    assertThat(connection.unacknowledged()).isEqualTo(100_000);
  }

  @Test
  void growingPast2To31Minus1IsRefused() {
    InboundWindow w = new InboundWindow(65_535, MAX);
    w.grow(MAX - 65_535);
    assertThat(w.window()).isEqualTo(MAX);
    assertThatThrownBy(() -> w.grow(1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.grow(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeCountsAreRefused() {
    InboundWindow w = new InboundWindow(10, 10);
    assertThatThrownBy(() -> w.take(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.consumed(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.takeUnchecked(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InboundWindow(-1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InboundWindow(10, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bytesConsumedLaterRideOnTheNextWindowUpdate() {
    InboundWindow w = new InboundWindow(100, 100);
    assertThat(w.take(60)).isTrue();
    w.consumedLater(10); // padding: never read, given back with the reads' next update
    assertThat(w.unacknowledged()).isEqualTo(10);
    assertThat(w.window()).as("not given back yet").isEqualTo(40);
    assertThat(w.consumed(30)).as("40 of 100: not half yet").isZero();
    assertThat(w.consumed(20)).as("the padding comes back with the reads").isEqualTo(60);
    assertThat(w.window()).isEqualTo(100);
    assertThat(w.take(100)).isTrue();
    w.consumedLater(100); // however much: never an update by itself
    assertThat(w.unacknowledged()).isEqualTo(100);
    assertThatThrownBy(() -> w.consumedLater(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
