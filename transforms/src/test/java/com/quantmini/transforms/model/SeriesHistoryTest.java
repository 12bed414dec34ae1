package com.quantmini.transforms.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.SymbolSeries;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * History segments: each holds the bars of the sessions one run added; replayed oldest first, a
 * later segment's session replaces what earlier ones had for it, and a damaged segment is refused
 * by name.
 */
class SeriesHistoryTest {
  private static final double NAN = Double.NaN;
  /** 2024-01-02 .. 2024-01-05 as epoch days; slot 0 is 2023-12-29, before any segment. */
  private static final long D0 = LocalDate.parse("2024-01-02").toEpochDay();
  private static final long[] CALENDAR = {D0 - 4, D0, D0 + 1, D0 + 2, D0 + 3};

  /** Bars on consecutive slots from {@code start} with these closes (NaN: no bar); the other fields follow the close. */
  static SymbolSeries series(String ticker, int start, double... closes) {
    SymbolSeries s = SymbolSeries.empty(ticker, ticker, start, closes.length);
    for (int k = 0; k < closes.length; k++) {
      double c = closes[k];
      if (!Double.isNaN(c)) {
        s.set(k, new double[] {c - 0.5, c + 1, c - 1, c, 100 * c, 3}, 1_000L * (start + k));
      }
    }
    return s;
  }

  static String session(int slot) {
    return LocalDate.ofEpochDay(CALENDAR[slot]).toString();
  }

  /** A segment of the given slots' sessions and the series' bars on those slots. */
  static SeriesHistory.Segment segment(String name, List<Integer> slots, SymbolSeries... series) throws IOException {
    boolean[] fresh = new boolean[CALENDAR.length];
    List<String> sessions = new ArrayList<>();
    for (int k : slots) {
      fresh[k] = true;
      sessions.add(session(k));
    }
    List<SeriesHistory.Bars> bars = new ArrayList<>();
    for (SymbolSeries s : series) {
      SeriesHistory.Bars b = SeriesHistory.Bars.of(s, CALENDAR, fresh);
      if (b != null) {
        bars.add(b);
      }
    }
    return new SeriesHistory.Segment(name, SeriesHistory.encode(sessions, bars));
  }

  @Test
  void barsOfKeepsOnlyTheFreshSlotsThatHoldABar() {
    boolean[] fresh = {false, true, true, false, true};
    SeriesHistory.Bars b = SeriesHistory.Bars.of(series("AAPL", 1, 10, NAN, 12, 13), CALENDAR, fresh);
    assertThat(Arrays.toString(b.time), is(Arrays.toString(new long[] {D0, D0 + 3})));
    assertThat(Arrays.toString(b.values[3]), is("[10.0, 13.0]"));
    assertThat(Arrays.toString(b.values[0]), is("[9.5, 12.5]"));
    assertThat(Arrays.toString(b.windowStart), is("[1000, 4000]"));
    assertThat(SeriesHistory.Bars.of(series("AAPL", 1, 10, NAN, 12, 13), CALENDAR,
        new boolean[] {true, false, true, false, false}), nullValue());
  }

  @Test
  void laterSegmentsReplaceTheSessionsTheyList() throws IOException {
    // v1: three sessions; v2 republishes 01-03 (AAPL corrected, MSFT now listed) and adds 01-05;
    // v3 republishes 01-04 without MSFT.
    SeriesHistory.Segment v1 = segment("v1", List.of(1, 2, 3), series("AAPL", 1, 1, 2, 3), series("MSFT", 1, 5, NAN, 6));
    SeriesHistory.Segment v2 = segment("v2", List.of(2, 4), series("AAPL", 2, 20, NAN, 4), series("MSFT", 2, 7));
    SeriesHistory.Segment v3 = segment("v3", List.of(3), series("AAPL", 3, 30));
    List<SeriesState.Entry> out = SeriesHistory.replay(List.of(v1, v2, v3), CALENDAR);
    assertThat(out.size(), is(2));
    SeriesState.Entry aapl = out.get(0);
    assertThat(aapl.tail.ticker, is("AAPL"));
    assertThat(aapl.origin, is(1));
    assertThat(aapl.tail.start, is(1));
    assertThat(Arrays.toString(aapl.tail.close), is("[1.0, 20.0, 30.0, 4.0]"));
    assertThat(Arrays.toString(aapl.tail.volume), is("[100.0, 2000.0, 3000.0, 400.0]"));
    assertThat(Arrays.toString(aapl.tail.windowStart), is("[1000, 2000, 3000, 4000]"));
    assertThat(aapl.carry.length, is(0));
    SeriesState.Entry msft = out.get(1);
    assertThat(msft.tail.ticker, is("MSFT"));
    assertThat(msft.origin, is(1));
    assertThat(Arrays.toString(msft.tail.close), is("[5.0, 7.0]"));
    // Replayed in another order, v1 wins back 01-03: AAPL's 2.0 and no MSFT bar there.
    List<SeriesState.Entry> reordered = SeriesHistory.replay(List.of(v2, v3, v1), CALENDAR);
    assertThat(Arrays.toString(reordered.get(0).tail.close), is("[1.0, 2.0, 3.0, 4.0]"));
    assertThat(Arrays.toString(reordered.get(1).tail.close), is("[5.0, NaN, 6.0]"));
  }

  @Test
  void aRepublishedSessionWithoutASymbolDropsItsBar() throws IOException {
    SeriesHistory.Segment v1 = segment("v1", List.of(1, 2), series("AAPL", 1, 1, 2));
    SeriesHistory.Segment v2 = segment("v2", List.of(1, 2), series("AAPL", 2, 3));
    SeriesState.Entry aapl = SeriesHistory.replay(List.of(v1, v2), CALENDAR).get(0);
    assertThat(aapl.origin, is(2));
    assertThat(Arrays.toString(aapl.tail.close), is("[3.0]"));
  }

  @Test
  void everyTruncationOfASegmentFailsNamingIt() throws IOException {
    SeriesHistory.Segment whole = segment("v1", List.of(1, 2, 3), series("AAPL", 1, 1, 2, 3));
    SeriesHistory.Segment good = segment("v0", List.of(4), series("AAPL", 4, 9));
    for (int n = 0; n < whole.bytes().length; n++) {
      SeriesHistory.Segment cut = new SeriesHistory.Segment("/out/_state/stocks_daily/history/v2-bucket-1.bin",
          Arrays.copyOf(whole.bytes(), n));
      IOException e = assertThrows(IOException.class, () -> SeriesHistory.replay(List.of(good, cut), CALENDAR));
      assertThat(e.getMessage(), containsString("history segment /out/_state/stocks_daily/history/v2-bucket-1.bin"));
    }
    byte[] longer = Arrays.copyOf(whole.bytes(), whole.bytes().length + 8);
    assertThat(assertThrows(IOException.class, () -> SeriesHistory.replay(
        List.of(new SeriesHistory.Segment("v9", longer)), CALENDAR)).getMessage(),
        containsString("history segment v9 is unreadable: 8 bytes after the end"));
  }

  @Test
  void aBarOfASessionNoSegmentListsIsDamage() throws IOException {
    boolean[] all = {true, true, true, true, true};
    byte[] bytes = SeriesHistory.encode(List.of(session(1)),
        List.of(SeriesHistory.Bars.of(series("AAPL", 1, 1, 2), CALENDAR, all)));
    assertThat(assertThrows(IOException.class, () -> SeriesHistory.replay(
        List.of(new SeriesHistory.Segment("v1", bytes)), CALENDAR)).getMessage(),
        containsString("v1 is unreadable: AAPL has a bar of day " + (D0 + 1)));
  }

  @Test
  void aSessionThatIsNotADateIsDamage() throws IOException {
    byte[] bytes = SeriesHistory.encode(List.of("2024-13-45"), List.of());
    assertThat(assertThrows(IOException.class, () -> SeriesHistory.replay(
        List.of(new SeriesHistory.Segment("v1", bytes)), CALENDAR)).getMessage(),
        containsString("session 0 is not a date: 2024-13-45"));
  }

  @Test
  void barsOfADayTheCalendarLacksFail() throws IOException {
    SeriesHistory.Segment v1 = segment("v1", List.of(1, 2), series("AAPL", 1, 1, 2));
    long[] shorter = {D0 - 4, D0};
    assertThat(assertThrows(IOException.class, () -> SeriesHistory.replay(List.of(v1), shorter)).getMessage(),
        containsString("history holds bars of day " + (D0 + 1) + ", which the state calendar lacks"));
  }
}
