package com.quantmini.io;

import com.quantmini.transforms.calendar.NyseCalendar;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Sessions the NYSE calendar expects in a range but a listing does not have. */
public final class MissingSessions {
  private MissingSessions() {}

  /**
   * {@code from}/{@code to} bound the check when given; otherwise the listing's own first and last
   * session do, so an open range never reports the years before a dataset begins.
   */
  public static List<LocalDate> find(List<String> found, String from, String to) {
    if (found.isEmpty() && (from == null || to == null)) {
      return List.of();
    }
    Set<String> have = new HashSet<>(found);
    String lo = from != null ? from : found.stream().min(String::compareTo).get();
    String hi = to != null ? to : found.stream().max(String::compareTo).get();
    LocalDate today = LocalDate.now(ZoneId.of("America/New_York"));
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

  /** Dates as runs of consecutive sessions, e.g. "2024-01-02..2024-01-05 (4), 2024-02-01". */
  public static String describe(List<LocalDate> gaps, int maxRuns) {
    StringBuilder sb = new StringBuilder();
    int runs = 0;
    int i = 0;
    while (i < gaps.size()) {
      int j = i;
      while (j + 1 < gaps.size()
          && NyseCalendar.sessions(gaps.get(j).plusDays(1), gaps.get(j + 1)).size() == 1) {
        j++;
      }
      if (runs == maxRuns) {
        sb.append(", ...");
        break;
      }
      sb.append(runs == 0 ? "" : ", ").append(gaps.get(i));
      if (j > i) {
        sb.append("..").append(gaps.get(j)).append(" (").append(j - i + 1).append(')');
      }
      runs++;
      i = j + 1;
    }
    return sb.toString();
  }
}
