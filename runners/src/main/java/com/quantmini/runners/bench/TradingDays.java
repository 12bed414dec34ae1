package com.quantmini.runners.bench;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * NYSE sessions for the benchmark generator: weekdays minus the exchange's rule-based full-day holidays
 * and a few one-off closures. Private to the benchmark on purpose; the pipeline uses its own calendar.
 */
final class TradingDays {
  private static final Set<LocalDate> ONE_OFF_CLOSURES = Set.of(
      LocalDate.of(2012, 10, 29), LocalDate.of(2012, 10, 30),   // Hurricane Sandy
      LocalDate.of(2018, 12, 5),                                // G. H. W. Bush day of mourning
      LocalDate.of(2025, 1, 9));                                // J. Carter day of mourning

  private TradingDays() {}

  /** Sessions in {@code [from, to]}, ascending. */
  static List<LocalDate> between(LocalDate from, LocalDate to) {
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      if (isSession(d)) {
        out.add(d);
      }
    }
    return out;
  }

  /** The first {@code count} sessions on or after {@code from}. */
  static List<LocalDate> firstN(LocalDate from, int count) {
    List<LocalDate> out = new ArrayList<>(count);
    for (LocalDate d = from; out.size() < count; d = d.plusDays(1)) {
      if (isSession(d)) {
        out.add(d);
      }
    }
    return out;
  }

  static boolean isSession(LocalDate d) {
    DayOfWeek w = d.getDayOfWeek();
    return w != DayOfWeek.SATURDAY && w != DayOfWeek.SUNDAY && !isHoliday(d) && !ONE_OFF_CLOSURES.contains(d);
  }

  static boolean isHoliday(LocalDate d) {
    int y = d.getYear();
    // New Year falling on a Saturday is not observed on the Friday before (NYSE rule 7.2).
    LocalDate newYear = LocalDate.of(y, 1, 1);
    if (d.equals(newYear.getDayOfWeek() == DayOfWeek.SUNDAY ? newYear.plusDays(1) : newYear)) {
      return true;
    }
    if (d.equals(nthWeekday(y, Month.JANUARY, DayOfWeek.MONDAY, 3))
        || d.equals(nthWeekday(y, Month.FEBRUARY, DayOfWeek.MONDAY, 3))
        || d.equals(easterSunday(y).minusDays(2))
        || d.equals(LocalDate.of(y, 5, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))
        || d.equals(observed(LocalDate.of(y, 7, 4)))
        || d.equals(nthWeekday(y, Month.SEPTEMBER, DayOfWeek.MONDAY, 1))
        || d.equals(nthWeekday(y, Month.NOVEMBER, DayOfWeek.THURSDAY, 4))
        || d.equals(observed(LocalDate.of(y, 12, 25)))) {
      return true;
    }
    return y >= 2022 && d.equals(observed(LocalDate.of(y, 6, 19)));
  }

  private static LocalDate observed(LocalDate holiday) {
    switch (holiday.getDayOfWeek()) {
      case SATURDAY: return holiday.minusDays(1);
      case SUNDAY: return holiday.plusDays(1);
      default: return holiday;
    }
  }

  private static LocalDate nthWeekday(int year, Month month, DayOfWeek day, int n) {
    return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, day));
  }

  /** Gregorian Easter Sunday (anonymous Gregorian computus). */
  static LocalDate easterSunday(int y) {
    int a = y % 19;
    int b = y / 100;
    int c = y % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return LocalDate.of(y, month, day);
  }
}
