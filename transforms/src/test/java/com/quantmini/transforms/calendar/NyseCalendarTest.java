package com.quantmini.transforms.calendar;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.testdata.Testdata;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NyseCalendarTest {

  private static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }

  private static List<LocalDate> dates(String... iso) {
    return Arrays.stream(iso).map(LocalDate::parse).collect(Collectors.toList());
  }

  @Test
  void sessionsMatchTheRealStocknetFilesFrom2012To2017() {
    Set<LocalDate> files = new TreeSet<>();
    for (String key : Testdata.relativeFiles(Testdata.dir().resolve("stocknet"))) {
      if (key.endsWith(".csv.gz")) {
        files.add(Testdata.sessionOf(key));
      }
    }
    assertThat(files, hasSize(1258));
    assertThat(new TreeSet<>(NyseCalendar.sessions(d("2012-09-04"), d("2017-09-01"))), equalTo(files));
  }

  @Test
  void lists2024HolidaysExactly() {
    assertThat(
        List.copyOf(NyseCalendar.holidays(2024)),
        equalTo(
            dates(
                "2024-01-01", // New Year's Day
                "2024-01-15", // Martin Luther King Jr. Day
                "2024-02-19", // Presidents Day
                "2024-03-29", // Good Friday
                "2024-05-27", // Memorial Day
                "2024-06-19", // Juneteenth
                "2024-07-04", // Independence Day
                "2024-09-02", // Labor Day
                "2024-11-28", // Thanksgiving
                "2024-12-25"))); // Christmas
    assertThat(NyseCalendar.sessions(d("2024-01-01"), d("2024-12-31")), hasSize(252));
  }

  @Test
  void lists2025HolidaysExactlyIncludingCarterDayOfMourning() {
    assertThat(
        List.copyOf(NyseCalendar.holidays(2025)),
        equalTo(
            dates(
                "2025-01-01", // New Year's Day
                "2025-01-09", // national day of mourning, Jimmy Carter
                "2025-01-20", // Martin Luther King Jr. Day
                "2025-02-17", // Presidents Day
                "2025-04-18", // Good Friday
                "2025-05-26", // Memorial Day
                "2025-06-19", // Juneteenth
                "2025-07-04", // Independence Day
                "2025-09-01", // Labor Day
                "2025-11-27", // Thanksgiving
                "2025-12-25"))); // Christmas
    assertThat(NyseCalendar.sessions(d("2025-01-01"), d("2025-12-31")), hasSize(250));
  }

  @Test
  void holidaysAreNotSessions() {
    for (int year : new int[] {2024, 2025}) {
      for (LocalDate h : NyseCalendar.holidays(year)) {
        assertThat(h.toString(), NyseCalendar.isSession(h), is(false));
      }
    }
  }

  @Test
  void computesGoodFridayFromEaster() {
    assertThat(NyseCalendar.goodFriday(2000), equalTo(d("2000-04-21")));
    assertThat(NyseCalendar.goodFriday(2008), equalTo(d("2008-03-21")));
    assertThat(NyseCalendar.goodFriday(2011), equalTo(d("2011-04-22")));
    assertThat(NyseCalendar.goodFriday(2016), equalTo(d("2016-03-25")));
    assertThat(NyseCalendar.goodFriday(2019), equalTo(d("2019-04-19")));
    assertThat(NyseCalendar.goodFriday(2021), equalTo(d("2021-04-02")));
    assertThat(NyseCalendar.goodFriday(2024), equalTo(d("2024-03-29")));
    assertThat(NyseCalendar.goodFriday(2025), equalTo(d("2025-04-18")));
    assertThat(NyseCalendar.goodFriday(2026), equalTo(d("2026-04-03")));
    assertThat(NyseCalendar.easterSunday(2038), equalTo(d("2038-04-25"))); // latest possible
    assertThat(NyseCalendar.easterSunday(2285), equalTo(d("2285-03-22"))); // earliest possible
    assertThat(NyseCalendar.isSession(d("2016-03-25")), is(false));
    assertThat(NyseCalendar.isSession(d("2016-03-24")), is(true));
  }

  @Test
  void lists2024EarlyClosesAt1300() {
    List<LocalDate> early =
        NyseCalendar.sessions(d("2024-01-01"), d("2024-12-31")).stream()
            .filter(NyseCalendar::isEarlyClose)
            .collect(Collectors.toList());
    assertThat(early, contains(d("2024-07-03"), d("2024-11-29"), d("2024-12-24")));
    assertThat(NyseCalendar.close(d("2024-07-03")), equalTo(LocalTime.of(13, 0)));
    assertThat(NyseCalendar.close(d("2024-11-29")), equalTo(LocalTime.of(13, 0)));
    assertThat(NyseCalendar.close(d("2024-12-24")), equalTo(LocalTime.of(13, 0)));
    assertThat(NyseCalendar.close(d("2024-12-23")), equalTo(LocalTime.of(16, 0)));
  }

  @Test
  void lists2025EarlyCloses() {
    List<LocalDate> early =
        NyseCalendar.sessions(d("2025-01-01"), d("2025-12-31")).stream()
            .filter(NyseCalendar::isEarlyClose)
            .collect(Collectors.toList());
    assertThat(early, contains(d("2025-07-03"), d("2025-11-28"), d("2025-12-24")));
  }

  @Test
  void hasNoEarlyCloseWhenTheEveIsAFridayOrAHoliday() {
    assertThat(NyseCalendar.isEarlyClose(d("2016-07-01")), is(false)); // Jul 4 on Monday
    assertThat(NyseCalendar.isEarlyClose(d("2020-07-02")), is(false)); // Jul 4 Sat, observed Fri Jul 3
    assertThat(NyseCalendar.isEarlyClose(d("2021-12-23")), is(false)); // Dec 24 is the holiday
    assertThat(NyseCalendar.isEarlyClose(d("2021-12-24")), is(false));
    assertThat(NyseCalendar.isEarlyClose(d("2027-12-24")), is(false)); // Friday Dec 24 = observed Christmas
    assertThat(NyseCalendar.isEarlyClose(d("2022-12-23")), is(false)); // Dec 24 on Saturday
    assertThat(NyseCalendar.isEarlyClose(d("2017-07-03")), is(true)); // Monday before a Tuesday Jul 4
    assertThat(NyseCalendar.isEarlyClose(d("2024-07-06")), is(false)); // weekend
  }

  @Test
  void observesSundayHolidaysOnMondayAndSaturdayOnesOnFridayExceptNewYear() {
    assertThat(NyseCalendar.isSession(d("2017-01-02")), is(false)); // New Year on Sunday
    assertThat(NyseCalendar.isSession(d("2021-12-31")), is(true)); // 2022 New Year on Saturday: not observed
    assertThat(NyseCalendar.isSession(d("2010-12-31")), is(true)); // 2011 likewise
    assertThat(NyseCalendar.isSession(d("2022-06-20")), is(false)); // Juneteenth on Sunday
    assertThat(NyseCalendar.isSession(d("2027-06-18")), is(false)); // Juneteenth on Saturday
    assertThat(NyseCalendar.isSession(d("2021-06-18")), is(true)); // before Juneteenth became a holiday
    assertThat(NyseCalendar.isSession(d("2020-07-03")), is(false)); // Jul 4 on Saturday
    assertThat(NyseCalendar.isSession(d("2021-07-05")), is(false)); // Jul 4 on Sunday
    assertThat(NyseCalendar.isSession(d("2021-12-24")), is(false)); // Christmas on Saturday
    assertThat(NyseCalendar.isSession(d("2022-12-26")), is(false)); // Christmas on Sunday
    assertThat(NyseCalendar.isSession(d("1997-01-20")), is(true)); // MLK day before 1998
    assertThat(NyseCalendar.isSession(d("1998-01-19")), is(false));
  }

  @Test
  void closesOnOneOffDays() {
    for (String iso :
        new String[] {
          "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", "2004-06-11", "2007-01-02",
          "2012-10-29", "2012-10-30", "2018-12-05", "2025-01-09"
        }) {
      assertThat(iso, NyseCalendar.isSession(d(iso)), is(false));
    }
    assertThat(NyseCalendar.isSession(d("2001-09-17")), is(true));
    assertThat(NyseCalendar.isSession(d("2012-10-31")), is(true));
  }

  @Test
  void skipsWeekends() {
    assertThat(NyseCalendar.isSession(d("2024-01-06")), is(false));
    assertThat(NyseCalendar.isSession(d("2024-01-07")), is(false));
    assertThat(
        NyseCalendar.sessions(d("2024-01-01"), d("2024-01-10")),
        equalTo(dates("2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10")));
  }

  @Test
  void returnsNoSessionsForAnEmptyOrHolidayRange() {
    assertThat(NyseCalendar.sessions(d("2024-01-10"), d("2024-01-02")), is(empty()));
    assertThat(NyseCalendar.sessions(d("2024-12-25"), d("2024-12-25")), is(empty()));
  }

  @Test
  void rejectsCloseOfANonSession() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NyseCalendar.close(d("2024-12-25")));
    assertThat(e.getMessage(), equalTo("not an NYSE session: 2024-12-25"));
  }
}
