package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.SessionFeatures;
import com.quantmini.transforms.model.SessionRows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge of a session's bucket parts: order, values, and slices of any size. */
class SilverRowsTest {
  private static final long T0 = 1_704_205_800_000_000_000L; // 2024-01-02 14:30 UTC
  private static final long MINUTE = 60_000_000_000L;

  /** A part holding {@code tickers}, {@code minutes} rows each; feature values encode (ticker, minute). */
  private static SessionFeatures part(List<String> tickers, int minutes) {
    BarBlock.Builder b = BarBlock.builder("stocks_minute", "", "2024-01-02", 1);
    int n = tickers.size() * minutes;
    float[][] f = new float[2][n];
    double[][] d = new double[1][n];
    int i = 0;
    for (String t : tickers) {
      for (int m = 0; m < minutes; m++) {
        double close = t.charAt(0) * 100 + m;
        b.add(t, T0 + m * MINUTE, close, close + 1, close - 1, close, 10 * m, m == 1 ? BarBlock.NO_VALUE : m, i);
        f[0][i] = (float) close;
        f[1][i] = m == 2 ? Float.NaN : -m;
        d[0][i] = close / 7;
        i++;
      }
    }
    return new SessionFeatures(b.build(), List.of("roc5", "ma5"), List.of("adj_close"), f, d);
  }

  @Test
  void mergedRowsAreOrderedByTickerThenTimeWithTheirOwnValuesInEverySlicing() {
    // Buckets interleave tickers, as hash buckets do.
    List<SessionFeatures> parts = List.of(part(List.of("B", "D"), 3), part(List.of("A", "C", "E"), 3));
    SessionRows merged = SilverRows.merged(parts);
    assertThat(merged.size(), is(15));
    assertThat(merged.session(), is("2024-01-02"));
    assertThat(merged.source(), is(""));
    assertThat(merged.floatNames(), contains("roc5", "ma5"));
    for (int step : new int[] {1, 2, 4, 15}) {
      List<String> keys = new ArrayList<>();
      for (int from = 0; from < merged.size(); from += step) {
        int to = Math.min(merged.size(), from + step);
        SessionRows.Slice s = merged.slice(from, to);
        for (int i = from; i < to; i++) {
          int r = i - s.first();
          BarBlock rows = s.rows().rows();
          String t = rows.ticker(r);
          int m = (int) ((rows.windowStart(r) - T0) / MINUTE);
          double close = t.charAt(0) * 100 + m;
          keys.add(t + m);
          assertThat(rows.close(r), is(close));
          assertThat(rows.hasTransactions(r), is(m != 1));
          assertThat(s.rows().floats()[0][r], is((float) close));
          assertThat(Float.isNaN(s.rows().floats()[1][r]), is(m == 2));
          assertThat(s.rows().doubles()[0][r], is(close / 7));
        }
      }
      assertThat("step " + step, keys, contains("A0", "A1", "A2", "B0", "B1", "B2", "C0", "C1", "C2", "D0", "D1",
          "D2", "E0", "E1", "E2"));
    }
  }

  @Test
  void aPartInAnotherOrderThanTheTickersGivesEveryRowItsOwnValues() {
    // A part's rows follow its instruments' order, which need not be its tickers': here C's 100
    // rows come before A's, so a slice holding A99, B0 and C0 reaches rows 0 and 199 of one part.
    List<SessionFeatures> parts = List.of(part(List.of("C", "A"), 100), part(List.of("B"), 1));
    SessionRows merged = SilverRows.merged(parts);
    for (int step : new int[] {3, 7, 201}) {
      int seen = 0;
      for (int from = 0; from < merged.size(); from += step) {
        int to = Math.min(merged.size(), from + step);
        SessionRows.Slice s = merged.slice(from, to);
        for (int i = from; i < to; i++) {
          int r = i - s.first();
          BarBlock rows = s.rows().rows();
          String t = rows.ticker(r);
          int m = (int) ((rows.windowStart(r) - T0) / MINUTE);
          String expected = i < 100 ? "A" : i == 100 ? "B" : "C";
          assertThat("row " + i, t, is(expected));
          assertThat(m, is(i < 100 ? i : i == 100 ? 0 : i - 101));
          double close = t.charAt(0) * 100 + m;
          assertThat(s.rows().floats()[0][r], is((float) close));
          assertThat(s.rows().floats()[1][r], is(m == 2 ? Float.NaN : -m));
          assertThat(s.rows().doubles()[0][r], is(close / 7));
          seen++;
        }
      }
      assertThat(seen, is(201));
    }
  }

  @Test
  void aSessionFileIsItsOwnSliceWithoutACopy() {
    SessionFeatures one = part(List.of("A"), 4);
    SessionRows.Slice s = one.slice(1, 3);
    assertThat(s.rows() == one, is(true));
    assertThat(s.first(), equalTo(0));
  }

  @Test
  void partsWithOtherColumnsAreRefused() {
    SessionFeatures a = part(List.of("A"), 1);
    SessionFeatures b = new SessionFeatures(part(List.of("B"), 1).rows(), List.of("roc5"), List.of("adj_close"),
        new float[1][1], new double[1][1]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SilverRows.merged(List.of(a, b)));
    assertThat(e.getMessage(), containsString("different columns"));
  }
}
