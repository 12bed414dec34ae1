package com.quantmini.io;

import com.quantmini.transforms.calendar.NyseCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Sessions the NYSE calendar expects in a range but a listing does not have. */
final class MissingSessions {
  private MissingSessions() {}

  /**
   * {@code from}/{@code to} bound the check when given; otherwise the listing's own first and last
   * session do, so an open range never reports the years before a dataset begins.
   */
  static List<LocalDate> find(List<String> found, String from, String to) {
    if (found.isEmpty() && (from == null || to == null)) {
      return List.of();
    }
    Set<String> have = new HashSet<>(found);
    String lo = from != null ? from : found.stream().min(String::compareTo).get();
    String hi = to != null ? to : found.stream().max(String::compareTo).get();
    LocalDate today = LocalDate.now(java.time.ZoneId.of("America/New_York"));
    LocalDate end = LocalDate.parse(hi);
    if (end.isAfter(today)) {
      end = today; // future sessions cannot be missing yet
    }
    List<LocalDate> gaps = new ArrayList<>();
    for (LocalDate d : NyseCalendar.sessions(LocalDate.parse(lo), end)) {
      if (!have.contains(d.toString())) {
        gaps.add(d);
      }
    }
    return gaps;
  }
}
