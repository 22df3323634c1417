package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The idle clock: only streams are activity; other frames (looks without a stream) are not. */
class IdleClockTest {
  private final IdleClock clock = new IdleClock(100);

  @Test
  void runsWhileNoStreamIsOpenWhateverElseHappens() {
    assertThat(clock.left(1_000, false, 0)).isEqualTo(100);
    // the reader looks again after each PING: the clock keeps running
    assertThat(clock.left(1_040, false, 0)).isEqualTo(60);
    assertThat(clock.left(1_100, false, 0)).isZero();
    assertThat(clock.running()).isTrue();
  }

  @Test
  void anOpenStreamStopsItAndItRestartsWhenTheLastCloses() {
    clock.left(1_000, false, 0);
    assertThat(clock.left(1_050, true, 1)).isEqualTo(Long.MAX_VALUE);
    assertThat(clock.running()).isFalse();
    assertThat(clock.left(1_200, false, 1))
        .as("idle from the first look without streams")
        .isEqualTo(100);
  }

  @Test
  void aStreamThatCameAndWentBetweenTwoLooksRestartsIt() {
    clock.left(1_000, false, 0);
    assertThat(clock.left(1_090, false, 1)).isEqualTo(100);
  }
}
