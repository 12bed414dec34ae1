package com.quantmini.transforms.features;

import static com.quantmini.transforms.features.SeriesAssert.NAN;
import static com.quantmini.transforms.features.SeriesAssert.assertSeries;
import static com.quantmini.transforms.features.SeriesAssert.f;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class Alpha158Test {
  private static final int[] WINDOWS = {5, 10, 20, 30, 60};
  private static final float[] CLOSE = OpsTest.CLOSE;
  private static final float[] VOLUME = OpsTest.VOLUME;
  private static final float[] HIGH = OpsTest.HIGH;
  private static final float[] LOW = OpsTest.LOW;
  private static final float[] OPEN = OpsTest.OPEN;

  private static float value(float[][] out, String name, int row) {
    int col = Alpha158.NAMES.indexOf(name);
    if (col < 0) {
      throw new IllegalArgumentException("no feature " + name);
    }
    return out[col][row];
  }

  private static float[][] spec() {
    return Alpha158.compute(OPEN, HIGH, LOW, CLOSE, VOLUME, null);
  }

  @Test
  void namesFollowQlibOrder() {
    List<String> expected = new ArrayList<>(List.of("KMID", "KLEN", "KMID2", "KUP", "KUP2", "KLOW", "KLOW2", "KSFT",
        "KSFT2", "OPEN0", "HIGH0", "LOW0", "VWAP0"));
    for (String family : List.of("ROC", "MA", "STD", "BETA", "RSQR", "RESI", "MAX", "MIN", "QTLU", "QTLD", "RANK",
        "RSV", "IMAX", "IMIN", "IMXD", "CORR", "CORD", "CNTP", "CNTN", "CNTD", "SUMP", "SUMN", "SUMD", "VMA", "VSTD",
        "WVMA", "VSUMP", "VSUMN", "VSUMD")) {
      for (int w : WINDOWS) {
        expected.add(family + w);
      }
    }
    assertThat(Alpha158.NAMES, hasSize(158));
    assertThat(Alpha158.NAMES, contains(expected.toArray()));
    // spot checks against the spec's numbered table (1-based there)
    assertThat(Alpha158.NAMES.get(48), is("MIN5"));
    assertThat(Alpha158.NAMES.get(88), is("CORR5"));
    assertThat(Alpha158.NAMES.get(157), is("VSUMD60"));
  }

  @Test
  void outputHasOneRowPerFeatureAndOneColumnPerSlot() {
    float[][] out = spec();
    assertThat(out.length, is(158));
    assertThat(out[157].length, is(CLOSE.length));
  }

  @Test
  void firstRowMatchesSpecSection6() {
    float[][] out = spec();
    for (int w : WINDOWS) {
      for (String nan : List.of("ROC", "STD", "BETA", "RSQR", "RESI", "CORR", "CORD", "SUMP", "SUMN", "SUMD", "VSTD",
          "WVMA", "VSUMP", "VSUMN", "VSUMD")) {
        assertThat(nan + w, Float.isNaN(value(out, nan + w, 0)), is(true));
      }
      for (String one : List.of("MA", "QTLU", "QTLD", "RANK", "VMA")) {
        assertThat(one + w, value(out, one + w, 0), is(1f));
      }
      for (String zero : List.of("CNTP", "CNTN", "CNTD", "IMXD")) {
        assertThat(zero + w, value(out, zero + w, 0), is(0f));
      }
      assertThat("IMAX" + w, value(out, "IMAX" + w, 0), is(1f / w));
      assertThat("IMIN" + w, value(out, "IMIN" + w, 0), is(1f / w));
      // second row: two points
      assertThat("RSQR" + w, value(out, "RSQR" + w, 1), is(1f));
      assertThat("RESI" + w, value(out, "RESI" + w, 1), is(0f));
      assertThat("CORR" + w, value(out, "CORR" + w, 1), is(-1f));
    }
  }

  @Test
  void specVectorsForBarExpressions() {
    float[][] out = spec();
    assertSeries("($close-$open)/($high-$low+1e-12)", out[Alpha158.NAMES.indexOf("KMID2")],
        0, 0.5, NAN, 0.333333, -0.5, 0, -0.333333);
    assertSeries("$vwap/$close", out[Alpha158.NAMES.indexOf("VWAP0")], NAN, NAN, NAN, NAN, NAN, NAN, NAN);
    assertSeries("$open/$close", out[Alpha158.NAMES.indexOf("OPEN0")], 1, 10.5 / 11, NAN, 12.5 / 13, 12.5 / 12, 1, 9.5 / 9);
  }

  @Test
  void kbarOnSpecBars() {
    float[][] out = spec();
    // 01-04: open 10.5, high 11, low 10, close 11
    assertThat(value(out, "KMID", 1), is((11f - 10.5f) / 10.5f));
    assertThat(value(out, "KMID2", 1), is(0.5f));
    assertThat(value(out, "KUP", 1), is(0f));
    assertThat(value(out, "KLOW2", 1), is(0.5f));
    assertThat(value(out, "KSFT", 1), is(1f / 10.5f));
    assertThat(value(out, "OPEN0", 1), is(10.5f / 11f));
    // 01-10: open = high = low = close = 12, so the float32 1e-12 is the whole denominator
    assertThat(value(out, "KMID2", 5), is(0f));
    assertThat(value(out, "KLEN", 5), is(0f));
    assertThat(value(out, "VWAP0", 5), is(Float.NaN));
  }

  @Test
  void gapRowKeepsWindowFeaturesButNotRatiosToTheBar() {
    float[][] out = spec();
    int gap = 2;
    for (String name : List.of("KMID", "KLEN", "KSFT2", "OPEN0", "HIGH0", "LOW0")) {
      assertThat(name, Float.isNaN(value(out, name, gap)), is(true));
    }
    for (int w : WINDOWS) {
      for (String nan : List.of("ROC", "MA", "STD", "BETA", "RESI", "MAX", "MIN", "QTLU", "QTLD", "RANK", "RSV", "VMA",
          "VSTD")) {
        assertThat(nan + w, Float.isNaN(value(out, nan + w, gap)), is(true));
      }
      // [10, 11, NaN]: two points remain
      assertThat("RSQR" + w, value(out, "RSQR" + w, gap), is(1f));
      assertThat("CORR" + w, value(out, "CORR" + w, gap), is(-1f));
      // gains [NaN, 1, NaN] over moves [NaN, 1, NaN]
      assertThat("SUMP" + w, value(out, "SUMP" + w, gap), is(1f));
      assertThat("SUMN" + w, value(out, "SUMN" + w, gap), is(0f));
      // volume went 100 -> 0: all of the move is down
      assertThat("VSUMN" + w, value(out, "VSUMN" + w, gap), is(1f));
      // a NaN comparison counts as 0 but still occupies its slot
      assertThat("CNTP" + w, value(out, "CNTP" + w, gap), is((float) (1.0 / 3)));
      assertThat("CNTN" + w, value(out, "CNTN" + w, gap), is(0f));
      // first-NaN quirk: the gap is the window's 3rd slot
      assertThat("IMAX" + w, value(out, "IMAX" + w, gap), is((float) (3.0 / w)));
      assertThat("IMIN" + w, value(out, "IMIN" + w, gap), is((float) (3.0 / w)));
      assertThat("IMXD" + w, value(out, "IMXD" + w, gap), is(0f));
    }
  }

  @Test
  void zeroVolumeDividesByFloatEpsilon() {
    float[][] out = spec();
    // 01-04: Mean(100, 0) / float32(1e-12)
    assertThat(value(out, "VMA5", 1), is((float) (50.0 / 1e-12f)));
    assertThat(value(out, "VSTD5", 1), is((float) (Math.sqrt(5000.0) / 1e-12f)));
    // 01-08: volume 0 after a gap; the window [100, 0, NaN, 0] has mean 100/3
    assertThat(value(out, "VMA5", 3), is((float) (100.0 / 3 / 1e-12f)));
    // 01-09: volume 80 after 0 makes Log(inf) = inf, which the correlation treats as missing
    assertThat(Float.isNaN(value(out, "CORD5", 4)), is(true));
  }

  @Test
  void zeroOpenGivesInfinityNotAnError() {
    float[][] out = Alpha158.compute(f(0, 10), f(11, 11), f(9, 9), f(10, 10), f(5, 5), null);
    assertThat(value(out, "KMID", 0), is(Float.POSITIVE_INFINITY));
    assertThat(value(out, "KLEN", 0), is(Float.POSITIVE_INFINITY));
    assertThat(value(out, "KMID", 1), is(0f));
  }

  @Test
  void vwapWhenGiven() {
    float[][] out = Alpha158.compute(OPEN, HIGH, LOW, CLOSE, VOLUME, f(10.2, 10.9, NAN, 13, 12, 12, 9.3));
    assertThat(value(out, "VWAP0", 0), is(10.2f / 10f));
    assertThat(Float.isNaN(value(out, "VWAP0", 2)), is(true));
  }

  @Test
  void constantPrices() {
    int n = 70;
    float[] p = new float[n];
    float[] v = new float[n];
    Arrays.fill(p, 10f);
    Arrays.fill(v, 100f);
    float[][] out = Alpha158.compute(p, p, p, p, v, null);
    int last = n - 1;
    for (int w : WINDOWS) {
      assertThat("MA" + w, value(out, "MA" + w, last), is(1f));
      assertThat("STD" + w, value(out, "STD" + w, last), is(0f));
      assertThat("BETA" + w, value(out, "BETA" + w, last), is(0f));
      assertThat("RESI" + w, value(out, "RESI" + w, last), is(0f));
      assertThat("RSQR" + w, Float.isNaN(value(out, "RSQR" + w, last)), is(true));
      assertThat("CORR" + w, Float.isNaN(value(out, "CORR" + w, last)), is(true));
      assertThat("CORD" + w, Float.isNaN(value(out, "CORD" + w, last)), is(true));
      assertThat("RSV" + w, value(out, "RSV" + w, last), is(0f));
      assertThat("RANK" + w, value(out, "RANK" + w, last), is((float) ((w + 1) / 2.0 / w)));
      assertThat("QTLU" + w, value(out, "QTLU" + w, last), is(1f));
      assertThat("IMAX" + w, value(out, "IMAX" + w, last), is(1f / w));
      assertThat("SUMP" + w, value(out, "SUMP" + w, last), is(0f));
      assertThat("CNTD" + w, value(out, "CNTD" + w, last), is(0f));
      assertThat("VSTD" + w, value(out, "VSTD" + w, last), is(0f));
      assertThat("WVMA" + w, value(out, "WVMA" + w, last), is(0f));
      assertThat("VSUMD" + w, value(out, "VSUMD" + w, last), is(0f));
    }
  }

  @Test
  void paddingBeforeListingChangesCountsAndPositions() {
    float[] c = f(10, 11, 12);
    float[] padded = f(NAN, NAN, NAN, 10, 11, 12);
    float[] v = f(1, 2, 3);
    float[] vp = f(NAN, NAN, NAN, 1, 2, 3);
    float[][] listed = Alpha158.compute(c, c, c, c, v, null);
    float[][] early = Alpha158.compute(padded, padded, padded, padded, vp, null);
    // second bar: unpadded window [10, 11] vs padded [NaN, NaN, NaN, 10, 11]
    assertThat(value(listed, "CNTP5", 1), is(0.5f));
    assertThat(value(early, "CNTP5", 4), is(0.2f));
    assertThat(value(listed, "IMAX5", 1), is(0.4f));
    assertThat(value(early, "IMAX5", 4), is(0.2f));
    // value statistics skip the padding either way
    assertThat(value(listed, "MA5", 2), is(value(early, "MA5", 5)));
    assertThat(value(listed, "STD5", 2), is(value(early, "STD5", 5)));
  }

  @Test
  void lookbackSlotsReproduceFullHistory() {
    Series s = Series.random(new Random(7), 400, 0.05);
    float[][] full = Alpha158.compute(s.open, s.high, s.low, s.close, s.volume, null);
    int lb = Alpha158.lookback();
    assertThat(lb, is(61));
    int checked = 0;
    for (int end = lb - 1; end < s.close.length; end += 13) {
      Series cut = s.slice(end - lb + 1, end + 1);
      float[][] part = Alpha158.compute(cut.open, cut.high, cut.low, cut.close, cut.volume, null);
      for (int col = 0; col < 158; col++) {
        assertThat(Alpha158.NAMES.get(col) + " at " + end, part[col][lb - 1], is(full[col][end]));
        checked++;
      }
    }
    assertThat(checked, is(not(0)));
  }

  @Test
  void oneSlotShorterHistoryChangesTheLongestFeatures() {
    Series s = Series.random(new Random(11), 200, 0.0);
    int end = 150;
    float[][] full = Alpha158.compute(s.open, s.high, s.low, s.close, s.volume, null);
    Series cut = s.slice(end - 59, end + 1);
    float[][] part = Alpha158.compute(cut.open, cut.high, cut.low, cut.close, cut.volume, null);
    assertThat(Float.isNaN(part[Alpha158.NAMES.indexOf("ROC60")][59]), is(true));
    assertThat(part[Alpha158.NAMES.indexOf("CORD60")][59], is(not(full[Alpha158.NAMES.indexOf("CORD60")][end])));
  }

  @Test
  void agreesWithBruteForceOnSyntheticGapsAndZeros() {
    Series s = Series.random(new Random(3), 600, 0.08);
    for (int i = 100; i < 110; i++) {
      s.volume[i] = 0f;
    }
    float[][] fast = Alpha158.compute(s.open, s.high, s.low, s.close, s.volume, null);
    float[][] slow = Alpha158Reference.compute(s.open, s.high, s.low, s.close, s.volume);
    Comparison cmp = Comparison.of(fast, slow);
    assertThat(cmp.report(), cmp.violations, is(0));
  }

  @Test
  void agreesWithBruteForceWhenValuesSpanTooManyOrdersForFixedPoint() {
    // volumes from 1e-20 to 1e9 (and prices with a tiny outlier) force the re-scan and two-pass paths of Ops
    Series s = Series.random(new Random(9), 300, 0.05);
    for (int i = 0; i < 300; i += 7) {
      s.volume[i] = 1e-20f * (i + 1);
    }
    for (int i = 3; i < 300; i += 50) {
      s.volume[i] = 1e9f;
    }
    s.close[150] = 1e-12f;
    float[][] fast = Alpha158.compute(s.open, s.high, s.low, s.close, s.volume, null);
    float[][] slow = Alpha158Reference.compute(s.open, s.high, s.low, s.close, s.volume);
    Comparison cmp = Comparison.of(fast, slow);
    assertThat(cmp.report(), cmp.violations, is(0));
  }

  @Test
  void computesAFiveYearSeriesInFewMilliseconds() {
    Series s = Series.random(new Random(5), 1258, 0.01);
    for (int i = 0; i < 200; i++) {
      Alpha158.compute(s.open, s.high, s.low, s.close, s.volume, null);
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 50; i++) {
      long t0 = System.nanoTime();
      Alpha158.compute(s.open, s.high, s.low, s.close, s.volume, null);
      best = Math.min(best, System.nanoTime() - t0);
    }
    // the target is well under 5 ms; the bound is loose because the machine is shared
    assertThat("best of 50 runs, ms = " + best / 1e6, best < 25_000_000L, is(true));
  }

  @Test
  void rejectsSeriesOfDifferentLengths() {
    assertThrows(IllegalArgumentException.class,
        () -> Alpha158.compute(f(1, 2), f(1, 2), f(1, 2), f(1), f(1, 2), null));
  }

  /** Synthetic bars: a random walk with optional gap slots. */
  static final class Series {
    final float[] open;
    final float[] high;
    final float[] low;
    final float[] close;
    final float[] volume;

    Series(int n) {
      open = new float[n];
      high = new float[n];
      low = new float[n];
      close = new float[n];
      volume = new float[n];
    }

    static Series random(Random rnd, int n, double gapProbability) {
      Series s = new Series(n);
      double p = 50;
      for (int i = 0; i < n; i++) {
        double o = p * (1 + 0.01 * rnd.nextGaussian());
        p = p * (1 + 0.02 * rnd.nextGaussian());
        double hi = Math.max(o, p) * (1 + 0.01 * rnd.nextDouble());
        double lo = Math.min(o, p) * (1 - 0.01 * rnd.nextDouble());
        boolean gap = i > 0 && rnd.nextDouble() < gapProbability;
        s.open[i] = gap ? Float.NaN : (float) (Math.round(o * 100) / 100.0);
        s.close[i] = gap ? Float.NaN : (float) (Math.round(p * 100) / 100.0);
        s.high[i] = gap ? Float.NaN : (float) (Math.round(hi * 100) / 100.0);
        s.low[i] = gap ? Float.NaN : (float) (Math.round(lo * 100) / 100.0);
        s.volume[i] = gap ? Float.NaN : (float) Math.floor(1e5 * Math.exp(rnd.nextGaussian()));
      }
      return s;
    }

    Series slice(int from, int to) {
      Series s = new Series(to - from);
      System.arraycopy(open, from, s.open, 0, to - from);
      System.arraycopy(high, from, s.high, 0, to - from);
      System.arraycopy(low, from, s.low, 0, to - from);
      System.arraycopy(close, from, s.close, 0, to - from);
      System.arraycopy(volume, from, s.volume, 0, to - from);
      return s;
    }
  }

  /**
   * Fast vs brute force: NaN/inf positions must match everywhere; values must be equal after the float32 cast except in
   * the families where the two use different (both valid) rounding, which get 4 float32 ulps or 1e-6 relative. RSQR,
   * CORR and CORD live on a scale of 1, so there double noise of 1e-12 absolute is also allowed: an exact zero
   * correlation comes out of two-pass double sums as ±1e-17, which no relative bound accepts.
   */
  static final class Comparison {
    static final List<String> TOLERANT = List.of("STD", "VSTD", "WVMA", "RSQR", "CORR", "CORD", "BETA", "RESI");
    static final List<String> UNIT_SCALE = List.of("RSQR", "CORR", "CORD");
    long values;
    int differing;
    int violations;
    double maxUlps;
    final StringBuilder firstViolations = new StringBuilder();
    final TreeMap<String, Integer> differingByFamily = new TreeMap<>();

    static Comparison of(float[][] fast, float[][] slow) {
      Comparison c = new Comparison();
      c.add(fast, slow, "");
      return c;
    }

    void add(float[][] fast, float[][] slow, String label) {
      for (int col = 0; col < fast.length; col++) {
        String name = Alpha158.NAMES.get(col);
        String family = name.replaceAll("[0-9]+$", "");
        boolean tolerant = TOLERANT.contains(family);
        for (int i = 0; i < fast[col].length; i++) {
          values++;
          float a = fast[col][i];
          float b = slow[col][i];
          if (Float.floatToIntBits(a) == Float.floatToIntBits(b) || a == b) {
            continue;
          }
          differing++;
          differingByFamily.merge(family, 1, Integer::sum);
          boolean finite = Float.isFinite(a) && Float.isFinite(b);
          double ulps = finite ? Math.abs((double) a - b) / Math.ulp(b) : Double.POSITIVE_INFINITY;
          double diff = Math.abs((double) a - b);
          boolean within = finite && (ulps <= 4 || diff <= 1e-6 * Math.abs(b)
              || (UNIT_SCALE.contains(family) && diff <= 1e-12));
          if (finite) {
            maxUlps = Math.max(maxUlps, ulps);
          }
          if (!tolerant || !within) {
            violations++;
            if (violations <= 10) {
              firstViolations.append(label).append(' ').append(name).append('[').append(i).append("] fast=")
                  .append(a).append(" slow=").append(b).append('\n');
            }
          }
        }
      }
    }

    String report() {
      return values + " values, " + differing + " differ " + differingByFamily + ", max " + maxUlps + " ulps, "
          + violations + " violations\n" + firstViolations;
    }
  }
}
