package dev.h2mux.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket behind the reset and no-op frame budgets, on a clock the test moves. */
class RateBudgetTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstIsAllowedThenRefusedUntilTimeRefillsIt() {
    RateBudget budget = new RateBudget(3, 2, 0);
    assertThat(budget.take(0)).isTrue();
    assertThat(budget.take(0)).isTrue();
    assertThat(budget.take(0)).isTrue();
    assertThat(budget.take(0)).isFalse();
    assertThat(budget.take(SECOND / 4)).as("half a token back").isFalse();
    assertThat(budget.take(SECOND / 2)).as("one token back after half a second").isTrue();
    assertThat(budget.take(SECOND / 2)).isFalse();
  }

  @Test
  void refillStopsAtTheBurst() {
    RateBudget budget = new RateBudget(2, 100, 0);
    long later = 60 * SECOND; // long quiet: at most the burst again
    assertThat(budget.take(later)).isTrue();
    assertThat(budget.take(later)).isTrue();
    assertThat(budget.take(later)).isFalse();
  }

  @Test
  void aZeroRateNeverRefills() {
    RateBudget budget = new RateBudget(1, 0, 0);
    assertThat(budget.take(0)).isTrue();
    assertThat(budget.take(3600 * SECOND)).isFalse();
  }

  @Test
  void aClockGoingBackwardsRefillsNothing() {
    RateBudget budget = new RateBudget(1, 10, 10 * SECOND);
    assertThat(budget.take(10 * SECOND)).isTrue();
    assertThat(budget.take(0)).isFalse();
  }

  @Test
  void earningGivesATokenBackUpToTheBurst() {
    RateBudget budget = new RateBudget(2, 0, 0);
    assertThat(budget.take(0)).isTrue();
    assertThat(budget.take(0)).isTrue();
    assertThat(budget.take(0)).isFalse();
    budget.earn();
    assertThat(budget.take(0)).isTrue();
    budget.earn();
    budget.earn();
    budget.earn();
    assertThat(budget.take(0)).isTrue();
    assertThat(budget.take(0)).isTrue();
    assertThat(budget.take(0)).as("earned no more than the burst").isFalse();
  }
}
