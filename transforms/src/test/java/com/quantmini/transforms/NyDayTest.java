package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** {@link FeatureMath#nyDay} with its remembered day gives the zone's own answer for every instant. */
class NyDayTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  static long expected(long epochNanos) {
    return LocalDate.ofInstant(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L)), NEW_YORK).toEpochDay();
  }

  static long nanos(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(NEW_YORK).toEpochSecond() * 1_000_000_000L;
  }

  @Test
  void instantsAroundMidnightsAndTheClockChangesFallOnTheirNewYorkDay() {
    // Both 2024 clock changes (a 23-hour and a 25-hour day), an ordinary day, and pre-1970 instants.
    for (String day : new String[] {"2024-03-09", "2024-03-10", "2024-03-11", "2024-11-02", "2024-11-03",
        "2024-11-04", "2024-01-02", "1969-12-31"}) {
      long start = nanos(day + "T00:00:00");
      for (long t : new long[] {start - 1, start, start + 1, start + 3_600_000_000_000L, start + 23 * 3_600_000_000_000L - 1,
          start + 23 * 3_600_000_000_000L, start + 24 * 3_600_000_000_000L - 1, start + 24 * 3_600_000_000_000L,
          start + 25 * 3_600_000_000_000L - 1}) {
        assertThat(day + " +" + (t - start), FeatureMath.nyDay(t), equalTo(expected(t)));
      }
    }
  }

  @Test
  void alternatingDaysAndEveryMinuteOfASessionAgreeWithTheZone() {
    long a = nanos("2024-01-02T09:30:00");
    long b = nanos("2024-07-15T15:59:00");
    for (int i = 0; i < 500; i++) {
      long t = (i % 2 == 0 ? a : b) + i * 60_000_000_000L;
      assertThat(FeatureMath.nyDay(t), equalTo(expected(t)));
    }
    for (long t = nanos("2024-03-10T00:00:00") - 3_600_000_000_000L; t < nanos("2024-03-11T02:00:00"); t += 60_000_000_000L) {
      assertThat(FeatureMath.nyDay(t), equalTo(expected(t)));
    }
  }
}
