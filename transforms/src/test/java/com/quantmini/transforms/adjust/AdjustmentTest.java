package com.quantmini.transforms.adjust;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The factor by hand-computed values (../shared/spec/corporate-actions.md, sections 3 and 4). */
class AdjustmentTest {
  private static final LocalDate D0 = LocalDate.of(2024, 3, 4); // a Monday

  private static long[] days(int n) {
    long[] d = new long[n];
    for (int k = 0; k < n; k++) {
      d[k] = D0.plusDays(k).toEpochDay();
    }
    return d;
  }

  private static LocalDate day(int k) {
    return D0.plusDays(k);
  }

  private static List<CorporateAction> sorted(CorporateAction... a) {
    return CorporateActions.of(Arrays.asList(a), true).of(a[0].ticker);
  }

  private static double[] adjustedCloses(double[] close, double[] f) {
    double[] out = new double[close.length];
    for (int k = 0; k < close.length; k++) {
      out[k] = close[k] * f[k];
    }
    return out;
  }

  @Test
  void theSpecsWorkedExample() {
    double[] close = {100, 102, 26, 26.5, 26.0};
    List<CorporateAction> ev = sorted(CorporateAction.split("X", day(2), 1, 4, "s"),
        CorporateAction.dividend("X", day(4), 0.50, "USD", "CD", "d"));
    double[] f = Adjustment.factors(days(5), close, ev, new double[0], -1).factor;
    assertThat(f[0], is(1.0));
    assertThat(f[1], is(1.0));
    assertThat(f[2], is(4.0));
    assertThat(f[3], is(4.0));
    assertThat(f[4], is(4.0 * (26.5 / 26.0)));
    assertThat(f[4], closeTo(4.0769230769, 1e-9));
    double[] adj = adjustedCloses(close, f);
    assertThat(adj[2], is(104.0));
    assertThat(adj[3], is(106.0));
    assertThat(adj[4], closeTo(106.0, 1e-12));
  }

  @Test
  void aReverseSplitAndAFractionalOne() {
    double[] close = {1.0, 10.2, 10.0, 15.3};
    List<CorporateAction> ev = sorted(CorporateAction.split("X", day(1), 10, 1, "r"),
        CorporateAction.split("X", day(3), 2, 3, "f"));
    double[] f = Adjustment.factors(days(4), close, ev, new double[0], -1).factor;
    assertThat(f[0], is(1.0));
    assertThat(f[1], is(0.1)); // 1 / 10
    assertThat(f[2], is(0.1));
    assertThat(f[3], is(0.1 * (3.0 / 2.0)));
  }

  @Test
  void twoEventsOnOneDateMultiplyAndTheDividendIsOnTheNewShareBasis() {
    double[] close = {80, 20.5};
    // A 1:4 split and a 0.25 dividend on the same day: P = 80 / 4 = 20 on the new basis.
    List<CorporateAction> ev = sorted(CorporateAction.dividend("X", day(1), 0.25, "USD", "CD", "d"),
        CorporateAction.split("X", day(1), 1, 4, "s"));
    double[] f = Adjustment.factors(days(2), close, ev, new double[0], -1).factor;
    assertThat(f[1], is(4.0 * (20.0 / (20.0 - 0.25))));
  }

  @Test
  void anEventOnADayWithoutABarAppliesFromTheNextBar() {
    double[] close = {50, Double.NaN, Double.NaN, 25.2};
    List<CorporateAction> ev = sorted(CorporateAction.split("X", day(1), 1, 2, "s"),
        CorporateAction.dividend("X", day(2), 0.2, "USD", "CD", "d"));
    Adjustment.Result r = Adjustment.factors(days(4), close, ev, new double[0], -1);
    assertThat(Double.isNaN(r.factor[1]) && Double.isNaN(r.factor[2]), is(true));
    // P: the last bar before the ex-date (50) on the ex-date's basis, after the split: 25.
    assertThat(r.factor[3], is(2.0 * (25.0 / (25.0 - 0.2))));
    assertThat(r.skippedDividends, is(0));
  }

  @Test
  void aSpecialDividendCountsLikeARegularOne() {
    double[] close = {40, 35};
    List<CorporateAction> ev = sorted(CorporateAction.dividend("X", day(1), 5.0, "USD", "SC", "d"));
    assertThat(Adjustment.factors(days(2), close, ev, new double[0], -1).factor[1], is(40.0 / 35.0));
  }

  @Test
  void aDividendOnTheFirstBarOrAboveThePriceIsSkippedAndCounted() {
    double[] close = {30, 31, 2};
    List<CorporateAction> ev = sorted(CorporateAction.dividend("X", day(0), 0.3, "USD", "CD", "first"),
        CorporateAction.dividend("X", day(2), 31.0, "USD", "CD", "too big"));
    Adjustment.Result r = Adjustment.factors(days(3), close, ev, new double[0], -1);
    assertThat(r.factor[0], is(1.0));
    assertThat(r.factor[2], is(1.0));
    assertThat(r.skippedDividends, is(2));
  }

  @Test
  void eventsBeforeTheFirstBarLeaveTheFactorAtOne() {
    double[] close = {Double.NaN, Double.NaN, 12, 12.1};
    List<CorporateAction> ev = sorted(CorporateAction.split("X", day(0), 1, 3, "s"),
        CorporateAction.split("X", day(2), 1, 5, "on the first bar"));
    double[] f = Adjustment.factors(days(4), close, ev, new double[0], -1).factor;
    assertThat(f[2], is(1.0));
    assertThat(f[3], is(1.0));
  }

  @Test
  void duplicatesCountOnceAndUnusableOnesAreSetAside() {
    List<CorporateAction> all = List.of(CorporateAction.split("X", day(1), 1, 4, "a"),
        CorporateAction.split("X", day(1), 1, 4, "b"),
        CorporateAction.split("X", day(2), 0, 4, "zero"),
        CorporateAction.dividend("X", day(3), 0.1, "CAD", "CD", "cad"),
        CorporateAction.dividend("X", day(3), 0.1, "USD", "CD", "usd"));
    CorporateActions both = CorporateActions.of(all, true);
    assertThat(both.read, is(5));
    assertThat(both.duplicates, is(1));
    assertThat(both.unusable, is(2));
    assertThat(both.size(), is(2));
    CorporateActions splits = CorporateActions.of(all, false);
    assertThat(splits.size(), is(1));
    assertThat(splits.notApplied, is(1));
  }

  @Test
  void aSeriesCutAnywhereContinuesFromItsCarryBitForBit() {
    int n = 40;
    double[] close = new double[n];
    for (int k = 0; k < n; k++) {
      close[k] = k % 7 == 3 ? Double.NaN : 20 + Math.sin(k) * 3 + (k > 17 ? -12 : 0);
    }
    List<CorporateAction> ev = sorted(CorporateAction.split("X", day(18), 2, 5, "s"),
        CorporateAction.dividend("X", day(10), 0.37, "USD", "CD", "d1"),
        CorporateAction.dividend("X", day(24), 0.11, "USD", "CD", "d2"),
        CorporateAction.split("X", day(24), 1, 2, "s2"),
        CorporateAction.dividend("X", day(31), 0.2, "USD", "SC", "on a gap day"));
    double[] whole = Adjustment.factors(days(n), close, ev, new double[0], -1).factor;
    for (int cut = 1; cut < n; cut++) {
      double[] carry = Adjustment.factors(days(n), close, ev, new double[0], cut).carry;
      double[] rest = Adjustment.factors(Arrays.copyOfRange(days(n), cut, n), Arrays.copyOfRange(close, cut, n), ev,
          carry, -1).factor;
      List<Double> expected = new ArrayList<>();
      List<Double> got = new ArrayList<>();
      for (int k = cut; k < n; k++) {
        expected.add(whole[k]);
        got.add(rest[k - cut]);
      }
      assertThat("cut at " + cut, got, equalTo(expected));
    }
    assertThat(ActionChanges.earliest(new TreeSet<>(ev.subList(0, 2)), new TreeSet<>(ev))
        .get("X"), is(day(24).toEpochDay()));
  }

  @Test
  void eventsSortSplitsBeforeDividendsOnOneDate() {
    List<CorporateAction> ev = sorted(CorporateAction.dividend("X", day(1), 0.25, "USD", "CD", "d"),
        CorporateAction.split("X", day(1), 1, 4, "s"), CorporateAction.split("X", day(0), 1, 2, "s0"));
    assertThat(ev.stream().map(e -> e.id).collect(Collectors.toList()), contains("s0", "s", "d"));
  }
}
