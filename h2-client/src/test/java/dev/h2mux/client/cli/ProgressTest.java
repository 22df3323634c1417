package dev.h2mux.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The download meter's text and pacing, on a fake clock and a string writer. */
class ProgressTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong clock = new AtomicLong(-5_000 * MS); // nanoTime may be negative
  private final StringWriter out = new StringWriter();

  @Test
  void knownSizeShowsPercentageSizesAndRate() {
    Progress progress = new Progress(out, 10 * 1024, clock::get);
    clock.addAndGet(1000 * MS);
    progress.advance(5 * 1024);
    assertThat(out.toString()).isEqualTo("\r 50.0%  5.0 KiB of 10.0 KiB  5.0 KiB/s   ");
  }

  @Test
  void unknownSizeShowsBytesAndRate() {
    Progress progress = new Progress(out, -1, clock::get);
    clock.addAndGet(2000 * MS);
    progress.advance(3 * 1024 * 1024);
    assertThat(out.toString()).isEqualTo("\r3.0 MiB  1.5 MiB/s   ");
  }

  @Test
  void redrawsAtMostEvery200Milliseconds() {
    Progress progress = new Progress(out, 1000, clock::get);
    progress.advance(100); // the first bytes show at once
    clock.addAndGet(199 * MS);
    progress.advance(100); // too soon: counted, not drawn
    assertThat(out.toString().split("\r", -1)).hasSize(2);
    clock.addAndGet(1 * MS);
    progress.advance(100);
    String[] lines = out.toString().split("\r", -1);
    assertThat(lines).hasSize(3);
    assertThat(lines[1]).startsWith(" 10.0%  100 B of 1000 B");
    assertThat(lines[2]).startsWith(" 30.0%  300 B of 1000 B  1.5 KiB/s");
  }

  @Test
  void finishDrawsTheFinalFiguresAndEndsTheLine() {
    Progress progress = new Progress(out, 2048, clock::get);
    progress.advance(1024);
    clock.addAndGet(50 * MS);
    progress.advance(1024); // within the interval: not drawn until finish
    clock.addAndGet(450 * MS);
    progress.finish();
    String[] lines = out.toString().split("\r", -1);
    assertThat(lines).hasSize(3);
    assertThat(lines[2])
        .isEqualTo("100.0%  2.0 KiB of 2.0 KiB  4.0 KiB/s   " + System.lineSeparator());
  }

  @Test
  void noElapsedTimeDoesNotDivideByZero() {
    assertThat(Progress.line(1024, 0, 0)).isEqualTo("1.0 KiB  1000.0 KiB/s");
  }

  @Test
  void sizesUseBinaryUnitsAndADecimalPointInEveryLocale() {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      assertThat(Progress.size(0)).isEqualTo("0 B");
      assertThat(Progress.size(1023)).isEqualTo("1023 B");
      assertThat(Progress.size(1024)).isEqualTo("1.0 KiB");
      assertThat(Progress.size(1536)).isEqualTo("1.5 KiB");
      assertThat(Progress.size(5L * 1024 * 1024)).isEqualTo("5.0 MiB");
      assertThat(Progress.size(3L * 1024 * 1024 * 1024 / 2)).isEqualTo("1.50 GiB");
      assertThat(Progress.line(1, 3, 1_000_000_000L)).startsWith(" 33.3%");
    } finally {
      Locale.setDefault(saved);
    }
  }
}
