package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.SeriesState;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The merge of remembered tails with fresh sessions on a daily calendar (slot times are epoch
 * days): where each symbol's files change, its header, and what of its history is known. The
 * expected slots are worked out by hand from each fixture.
 */
class SeriesMergeTest {
  private static final long D0 = LocalDate.parse("2024-01-02").toEpochDay();
  private static final long NS_PER_DAY = 86_400_000_000_000L;
  private static final int UNCHANGED = SeriesMerge.UNCHANGED;

  /** Days D0 + i for each i. */
  static long[] days(int... offsets) {
    return Arrays.stream(offsets).mapToLong(i -> D0 + i).toArray();
  }

  static String session(int offset) {
    return LocalDate.ofEpochDay(D0 + offset).toString();
  }

  /** A bar of close c: open c, high c + 1, low c − 1, volume 100, 5 trades, stamped at its day's midnight UTC. */
  static double[] row(double c) {
    return new double[] {c, c + 1, c - 1, c, 100, 5};
  }

  /** One session's fresh bars: ticker, close, ticker, close, ... */
  static BarBlock block(int offset, Object... tickerClose) {
    BarBlock.Builder b = BarBlock.builder("stocks_daily", "src", session(offset), tickerClose.length / 2);
    for (int i = 0; i < tickerClose.length; i += 2) {
      double c = ((Number) tickerClose[i + 1]).doubleValue();
      b.add((String) tickerClose[i], (D0 + offset) * NS_PER_DAY, c, c + 1, c - 1, c, 100, 5, i / 2 + 2);
    }
    return b.build();
  }

  /** A remembered entry on {@code oldCal}: bars with these closes from slot {@code start} (NaN: no bar). */
  static SeriesState.Entry old(String ticker, long[] oldCal, int origin, int start, double[] carry, double... closes) {
    SymbolSeries s = SymbolSeries.empty(ticker, ticker, start, closes.length);
    for (int k = 0; k < closes.length; k++) {
      if (!Double.isNaN(closes[k])) {
        s.set(k, row(closes[k]), oldCal[start + k] * NS_PER_DAY);
      }
    }
    return new SeriesState.Entry(origin, s, carry);
  }

  static SeriesState.Entry old(String ticker, long[] oldCal, double... closes) {
    return old(ticker, oldCal, 0, 0, new double[0], closes);
  }

  static Set<String> fresh(int... offsets) {
    return Arrays.stream(offsets).mapToObj(SeriesMergeTest::session).collect(Collectors.toSet());
  }

  static String closes(SeriesMerge.Merged m) {
    return Arrays.toString(m.known.close);
  }

  static List<SeriesMerge.Merged> merge(List<SeriesState.Entry> old, long[] oldCal, List<BarBlock> blocks,
      long[] newCal, Set<String> freshSessions) {
    return SeriesMerge.merge(old, oldCal, blocks, newCal, Dataset.stocks_daily, freshSessions);
  }

  @Test
  void firstInsertionIsWhereTheCalendarsFirstDiffer() {
    assertThat(SeriesMerge.firstInsertion(days(0, 1, 2), days(0, 1, 2, 3)), is(3));
    assertThat(SeriesMerge.firstInsertion(days(0, 2), days(0, 1, 2)), is(1));
    assertThat(SeriesMerge.firstInsertion(days(), days(5)), is(0));
    assertThat(SeriesMerge.firstInsertion(days(0, 1), days(0, 1)), is(2));
  }

  @Test
  void sessionOfASlotIsItsDayOrItsNewYorkDay() {
    assertThat(SeriesMerge.session(D0, true), is("2024-01-02"));
    // 01:00 UTC on 2024-01-03 is 20:00 on 2024-01-02 in New York.
    long ns = Instant.parse("2024-01-03T01:00:00Z").getEpochSecond() * 1_000_000_000L;
    assertThat(SeriesMerge.session(ns, false), is("2024-01-02"));
  }

  @Test
  void newSymbolsStartAtTheirFirstBarAndChangeWhole() {
    List<SeriesMerge.Merged> out = merge(List.of(), days(), List.of(block(0, "AAA", 10), block(1, "AAA", 11, "BBB", 20),
        block(2, "AAA", 12)), days(0, 1, 2), fresh(0, 1, 2));
    assertThat(out.size(), is(2));
    SeriesMerge.Merged a = out.get(0);
    assertThat(a.known.instrument, is("AAA"));
    assertThat(List.of(a.origin, a.changedFrom, a.oldOrigin, a.completeFrom, a.known.start), is(List.of(0, 0, -1, 0, 0)));
    assertThat(a.fullyKnown(), is(true));
    assertThat(a.carry.length, is(0));
    assertThat(closes(a), is("[10.0, 11.0, 12.0]"));
    assertThat(Arrays.toString(a.known.high), is("[11.0, 12.0, 13.0]"));
    assertThat(Arrays.toString(a.known.transactions), is("[5.0, 5.0, 5.0]"));
    assertThat(a.known.windowStart[2], is((D0 + 2) * NS_PER_DAY));
    SeriesMerge.Merged b = out.get(1);
    assertThat(b.known.instrument, is("BBB"));
    assertThat(List.of(b.origin, b.changedFrom, b.known.start), is(List.of(1, 1, 1)));
    assertThat(closes(b), is("[20.0]"));
  }

  @Test
  void aLaterDuplicateInReadingOrderWins() {
    List<SeriesMerge.Merged> out = merge(List.of(), days(), List.of(block(0, "AAA", 10), block(0, "AAA", 19)),
        days(0), fresh(0));
    assertThat(closes(out.get(0)), is("[19.0]"));
  }

  @Test
  void anAppendChangesFromTheNewSlotAndLeavesAbsentSymbolsAlone() {
    long[] oldCal = days(0, 1, 2);
    List<SeriesMerge.Merged> out = merge(List.of(old("AAA", oldCal, 10, 11, 12), old("BBB", oldCal, 20, 21, 22)),
        oldCal, List.of(block(3, "AAA", 13)), days(0, 1, 2, 3), fresh(3));
    SeriesMerge.Merged a = out.get(0);
    assertThat(List.of(a.origin, a.changedFrom, a.oldOrigin, a.completeFrom), is(List.of(0, 3, 0, 0)));
    assertThat(closes(a), is("[10.0, 11.0, 12.0, 13.0]"));
    SeriesMerge.Merged b = out.get(1);
    assertThat(b.changedFrom, is(UNCHANGED));
    assertThat(closes(b), is("[20.0, 21.0, 22.0]"));
    // A late split from slot 1 rewrites BBB from there; one after its last bar changes nothing.
    assertThat(b.changingFrom(1).changedFrom, is(1));
    assertThat(b.changingFrom(3), sameInstance(b));
    assertThat(a.changingFrom(3), sameInstance(a));
  }

  @Test
  void aRepublishedSessionChangesOnlySymbolsWhoseBarsDifferOrWent() {
    long[] cal = days(0, 1, 2);
    List<SeriesState.Entry> old = List.of(old("AAA", cal, 10, 11, 12), old("BBB", cal, 20, 21, 22),
        old("CCC", cal, 30, 31, 32), old("DDD", cal, 1, 1, new double[0], 40));
    // Day 1 again: AAA the same, BBB corrected, CCC and DDD (which had no other bar) gone.
    List<SeriesMerge.Merged> out = merge(old, cal, List.of(block(1, "AAA", 11, "BBB", 25)), cal, fresh(1));
    assertThat(out.stream().map(m -> m.known.ticker).collect(Collectors.toList()), is(List.of("AAA", "BBB", "CCC")));
    assertThat(out.get(0).changedFrom, is(UNCHANGED));
    assertThat(closes(out.get(0)), is("[10.0, 11.0, 12.0]"));
    assertThat(out.get(1).changedFrom, is(1));
    assertThat(closes(out.get(1)), is("[20.0, 25.0, 22.0]"));
    assertThat(out.get(2).changedFrom, is(1));
    assertThat(closes(out.get(2)), is("[30.0, NaN, 32.0]"));
  }

  @Test
  void optionsReadAgainAlwaysChangeTheirUnderlyingMoved() {
    long[] cal = days(0, 1);
    List<BarBlock> again = List.of(BarBlock.builder("options_daily", "src", session(1), 1)
        .add("O:AAA240119C00010000", (D0 + 1) * NS_PER_DAY, 11, 12, 10, 11, 100, 5, 2).build());
    List<SeriesMerge.Merged> out = SeriesMerge.merge(List.of(old("O:AAA240119C00010000", cal, 10, 11)), cal, again, cal,
        Dataset.options_daily, fresh(1));
    assertThat(out.get(0).changedFrom, is(1));
    assertThat(closes(out.get(0)), is("[10.0, 11.0]"));
  }

  @Test
  void aBackfilledSessionShiftsTheSymbolsTradingAfterIt() {
    long[] oldCal = days(0, 2, 3);
    List<SeriesState.Entry> old = List.of(old("AAA", oldCal, 10, 12, 13), old("BBB", oldCal, 20, 22, 23),
        old("CCC", oldCal, 30));
    List<SeriesMerge.Merged> out = merge(old, oldCal, List.of(block(1, "AAA", 11)), days(0, 1, 2, 3), fresh(1));
    assertThat(out.get(0).changedFrom, is(1));
    assertThat(closes(out.get(0)), is("[10.0, 11.0, 12.0, 13.0]"));
    assertThat(out.get(1).changedFrom, is(1));
    assertThat(closes(out.get(1)), is("[20.0, NaN, 22.0, 23.0]"));
    // CCC's only bar comes before the new slot: its file does not move.
    assertThat(out.get(2).changedFrom, is(UNCHANGED));
    assertThat(closes(out.get(2)), is("[30.0]"));
  }

  @Test
  void aBarBeforeTheOriginMovesTheHeaderAndRewritesTheFile() {
    long[] oldCal = days(1, 2);
    List<SeriesMerge.Merged> out = merge(List.of(old("AAA", oldCal, 11, 12)), oldCal, List.of(block(0, "AAA", 10)),
        days(0, 1, 2), fresh(0));
    SeriesMerge.Merged a = out.get(0);
    assertThat(List.of(a.origin, a.changedFrom, a.oldOrigin, a.completeFrom), is(List.of(0, 0, 0, 0)));
    assertThat(closes(a), is("[10.0, 11.0, 12.0]"));
  }

  @Test
  void aTailAfterTheOriginKeepsTheOriginAndItsCarry() {
    long[] oldCal = days(0, 1, 2, 3, 4);
    double[] carry = {0.5, 7};
    SeriesState.Entry tail = old("AAA", oldCal, 0, 3, carry, 13, 14);
    SeriesMerge.Merged a = merge(List.of(tail), oldCal, List.of(block(5, "AAA", 15)), days(0, 1, 2, 3, 4, 5), fresh(5))
        .get(0);
    assertThat(List.of(a.origin, a.changedFrom, a.oldOrigin, a.completeFrom, a.known.start), is(List.of(0, 5, 0, 3, 3)));
    assertThat(a.fullyKnown(), is(false));
    assertThat(Arrays.toString(a.carry), is("[0.5, 7.0]"));
    assertThat(closes(a), is("[13.0, 14.0, 15.0]"));
  }

  @Test
  void aFreshBarBeforeTheTailLeavesNothingCompleteAndNoCarry() {
    long[] cal = days(0, 1, 2, 3, 4);
    SeriesState.Entry tail = old("AAA", cal, 0, 3, new double[] {0.5, 7}, 13, 14);
    // Day 1, older than the tail, read again: what lies between it and the tail is only in the files.
    SeriesMerge.Merged a = merge(List.of(tail), cal, List.of(block(1, "AAA", 11)), cal, fresh(1)).get(0);
    assertThat(List.of(a.origin, a.changedFrom, a.known.start), is(List.of(0, 1, 1)));
    assertThat(a.completeFrom, is(Integer.MAX_VALUE));
    assertThat(a.carry.length, is(0));
    assertThat(closes(a), is("[11.0, NaN, 13.0, 14.0]"));
  }

  @Test
  void aSymbolResumingAfterAPauseChangesFromRightAfterItsLastBar() {
    long[] oldCal = days(0, 1);
    List<BarBlock> blocks = new ArrayList<>(List.of(block(2, "BBB", 1), block(3, "AAA", 13)));
    SeriesMerge.Merged a = merge(List.of(old("AAA", oldCal, 10, 11)), oldCal, blocks, days(0, 1, 2, 3), fresh(2, 3))
        .get(0);
    // Slot 2 (no bar) is new to AAA's files too: NaN there, and features still move.
    assertThat(a.changedFrom, is(2));
    assertThat(closes(a), is("[10.0, 11.0, NaN, 13.0]"));
  }
}
