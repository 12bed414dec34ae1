package com.quantmini.transforms.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * NYSE trading sessions computed from the exchange's holiday rules plus a fixed list of one-off
 * closures; plain {@code java.time}, stateless and thread-safe.
 *
 * <p>Contract: a date is a session when it is a weekday, not a rule-based holiday and not a one-off
 * closure. Rules: New Year (Sunday moves to Monday, Saturday is not observed), Martin Luther King
 * Jr. Day (third Monday of January, from 1998), Presidents Day (third Monday of February), Good
 * Friday (Easter minus two days), Memorial Day (last Monday of May), Juneteenth (from 2022),
 * Independence Day, Labor Day (first Monday of September), Thanksgiving (fourth Thursday of
 * November) and Christmas; Juneteenth, Independence Day and Christmas move Saturday to Friday and
 * Sunday to Monday. One-off closures are listed from 2000 on; earlier years get the rules only.
 * Early closes (13:00 ET) are July 3 when July 4 falls Tuesday to Friday, the day after
 * Thanksgiving, and December 24 when it falls Monday to Thursday, each only if it is a session.
 */
public final class NyseCalendar {

  /** Regular close, America/New_York. */
  public static final LocalTime REGULAR_CLOSE = LocalTime.of(16, 0);

  /** Close on early-close days, America/New_York. */
  public static final LocalTime EARLY_CLOSE = LocalTime.of(13, 0);

  /** Weekday closures not produced by the rules: 9/11, days of mourning, Hurricane Sandy. */
  static final Set<LocalDate> ONE_OFF_CLOSURES =
      Set.of(
          LocalDate.of(2001, 9, 11), // terrorist attacks, closed through 9/14
          LocalDate.of(2001, 9, 12),
          LocalDate.of(2001, 9, 13),
          LocalDate.of(2001, 9, 14),
          LocalDate.of(2004, 6, 11), // national day of mourning, Ronald Reagan
          LocalDate.of(2007, 1, 2), // national day of mourning, Gerald Ford
          LocalDate.of(2012, 10, 29), // Hurricane Sandy
          LocalDate.of(2012, 10, 30),
          LocalDate.of(2018, 12, 5), // national day of mourning, George H. W. Bush
          LocalDate.of(2025, 1, 9)); // national day of mourning, Jimmy Carter

  private NyseCalendar() {}

  /** Whether the exchange holds a session on {@code d}. */
  public static boolean isSession(LocalDate d) {
    Objects.requireNonNull(d, "date");
    return !isWeekend(d) && !ONE_OFF_CLOSURES.contains(d) && !ruleHolidays(d.getYear()).contains(d);
  }

  /** All sessions from {@code fromInclusive} to {@code toInclusive}, ascending; empty if from is after to. */
  public static List<LocalDate> sessions(LocalDate fromInclusive, LocalDate toInclusive) {
    Objects.requireNonNull(fromInclusive, "fromInclusive");
    Objects.requireNonNull(toInclusive, "toInclusive");
    List<LocalDate> out = new ArrayList<>();
    int year = Integer.MIN_VALUE;
    Set<LocalDate> holidays = Set.of();
    for (LocalDate d = fromInclusive; !d.isAfter(toInclusive); d = d.plusDays(1)) {
      if (d.getYear() != year) { // one rule evaluation per year, not per day
        year = d.getYear();
        holidays = ruleHolidays(year);
      }
      if (!isWeekend(d) && !ONE_OFF_CLOSURES.contains(d) && !holidays.contains(d)) {
        out.add(d);
      }
    }
    return List.copyOf(out);
  }

  /** Whether {@code d} is a session that closes at 13:00 ET. */
  public static boolean isEarlyClose(LocalDate d) {
    if (!isSession(d)) {
      return false;
    }
    int year = d.getYear();
    LocalDate july4 = LocalDate.of(year, Month.JULY, 4);
    DayOfWeek july4Day = july4.getDayOfWeek();
    if (d.equals(july4.minusDays(1))
        && july4Day.compareTo(DayOfWeek.TUESDAY) >= 0
        && july4Day.compareTo(DayOfWeek.FRIDAY) <= 0) {
      return true;
    }
    if (d.equals(thanksgiving(year).plusDays(1))) {
      return true;
    }
    return d.getMonth() == Month.DECEMBER
        && d.getDayOfMonth() == 24
        && d.getDayOfWeek().compareTo(DayOfWeek.THURSDAY) <= 0;
  }

  /**
   * The session's close in America/New_York.
   *
   * @throws IllegalArgumentException if {@code d} is not a session
   */
  public static LocalTime close(LocalDate d) {
    if (!isSession(d)) {
      throw new IllegalArgumentException("not an NYSE session: " + d);
    }
    return isEarlyClose(d) ? EARLY_CLOSE : REGULAR_CLOSE;
  }

  /** Weekday full-day closures of {@code year} (rule holidays and one-off closures), ascending. */
  public static Set<LocalDate> holidays(int year) {
    TreeSet<LocalDate> out = new TreeSet<>(ruleHolidays(year));
    for (LocalDate d : ONE_OFF_CLOSURES) {
      if (d.getYear() == year) {
        out.add(d);
      }
    }
    out.removeIf(NyseCalendar::isWeekend);
    return Collections.unmodifiableSortedSet(out);
  }

  /** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
  public static LocalDate easterSunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
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
    return LocalDate.of(year, month, day);
  }

  /** Good Friday: two days before Easter Sunday. */
  public static LocalDate goodFriday(int year) {
    return easterSunday(year).minusDays(2);
  }

  static Set<LocalDate> ruleHolidays(int year) {
    List<LocalDate> days = new ArrayList<>();
    LocalDate newYear = LocalDate.of(year, Month.JANUARY, 1);
    if (newYear.getDayOfWeek() == DayOfWeek.SUNDAY) {
      days.add(newYear.plusDays(1));
    } else if (newYear.getDayOfWeek() != DayOfWeek.SATURDAY) {
      days.add(newYear); // a Saturday New Year is not observed on the Friday before
    }
    if (year >= 1998) {
      days.add(nthWeekday(year, Month.JANUARY, DayOfWeek.MONDAY, 3));
    }
    days.add(nthWeekday(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3));
    days.add(goodFriday(year));
    days.add(LocalDate.of(year, Month.MAY, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY)));
    if (year >= 2022) {
      days.add(observedFridayOrMonday(LocalDate.of(year, Month.JUNE, 19)));
    }
    days.add(observedFridayOrMonday(LocalDate.of(year, Month.JULY, 4)));
    days.add(nthWeekday(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1));
    days.add(thanksgiving(year));
    days.add(observedFridayOrMonday(LocalDate.of(year, Month.DECEMBER, 25)));
    return Set.copyOf(days);
  }

  private static LocalDate thanksgiving(int year) {
    return nthWeekday(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4);
  }

  private static LocalDate observedFridayOrMonday(LocalDate d) {
    switch (d.getDayOfWeek()) {
      case SATURDAY:
        return d.minusDays(1);
      case SUNDAY:
        return d.plusDays(1);
      default:
        return d;
    }
  }

  private static LocalDate nthWeekday(int year, Month month, DayOfWeek dow, int n) {
    return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
  }

  private static boolean isWeekend(LocalDate d) {
    DayOfWeek w = d.getDayOfWeek();
    return w == DayOfWeek.SATURDAY || w == DayOfWeek.SUNDAY;
  }
}
