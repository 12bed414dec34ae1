package com.quantmini.transforms.features;

import static com.quantmini.transforms.features.SeriesAssert.NAN;
import static com.quantmini.transforms.features.SeriesAssert.assertSeries;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeedFeaturesTest {
  private static final double LN11 = Math.log(1.1);

  private static double[] d(double... v) {
    return v;
  }

  private static double[] fill(int n, double v) {
    double[] x = new double[n];
    Arrays.fill(x, v);
    return x;
  }

  private static double[] ramp(int n, double start, double step) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = start + step * i;
    }
    return x;
  }

  private static LinkedHashMap<String, double[]> daily(double[] close, double[] volume) {
    double[] high = new double[close.length];
    double[] low = new double[close.length];
    for (int i = 0; i < close.length; i++) {
      high[i] = close[i] + 1;
      low[i] = close[i] - 1;
    }
    return SeedFeatures.stocksDaily(close, high, low, close, volume);
  }

  @Test
  void columnsAreInDeclaredOrder() {
    LinkedHashMap<String, double[]> out = daily(ramp(30, 10, 1), fill(30, 100));
    assertThat(out.keySet(), contains(SeedFeatures.STOCKS_DAILY.toArray()));
    long[] session = new long[3];
    double[] x = d(1, 2, 3);
    assertThat(SeedFeatures.stocksMinute(x, x, x, x, x, session).keySet(),
        contains(SeedFeatures.STOCKS_MINUTE.toArray()));
    assertThat(SeedFeatures.options(new long[3], 10, 5, x, x, x).keySet(), contains(SeedFeatures.OPTIONS.toArray()));
  }

  @Test
  void logReturnsAreNaNAcrossGapsAndNonPositivePrices() {
    double[] close = d(10, 11, NAN, 12, 0, 13);
    LinkedHashMap<String, double[]> out = daily(close, fill(6, 100));
    assertSeries("returns_1d", out.get("returns_1d"), NAN, LN11, NAN, NAN, NAN, NAN);
    assertSeries("alpha_daily", out.get("alpha_daily"), NAN, -LN11, NAN, NAN, NAN, NAN);
    assertSeries("returns_5d", out.get("returns_5d"), NAN, NAN, NAN, NAN, NAN, Math.log(1.3));
    assertSeries("alpha_5d", out.get("alpha_5d"), NAN, NAN, NAN, NAN, NAN, -Math.log(1.3));
  }

  @Test
  void twentyDayReturnLooksTwentySlotsBack() {
    double[] close = ramp(22, 10, 1);
    double[] r = daily(close, fill(22, 1)).get("returns_20d");
    assertThat(Double.isNaN(r[19]), is(true));
    assertThat(r[20], closeTo(Math.log(30.0 / 10), 1e-15));
    assertThat(r[21], closeTo(Math.log(31.0 / 11), 1e-15));
  }

  @Test
  void barFeaturesAndZeroOpen() {
    LinkedHashMap<String, double[]> out = SeedFeatures.stocksDaily(
        d(10, 0, NAN), d(12, 3, NAN), d(9, 1, NAN), d(11, 2, NAN), d(100, 0, NAN));
    assertSeries("price_range", out.get("price_range"), 3, 2, NAN);
    assertSeries("daily_return", out.get("daily_return"), 0.1, NAN, NAN);
    assertSeries("typical_price", out.get("typical_price"), 32.0 / 3, 2, NAN);
    assertSeries("money_flow", out.get("money_flow"), 3200.0 / 3, 0, NAN);
  }

  @Test
  void volumeRatioNeedsTwentyFullSlotsAndNeverDividesByZero() {
    double[] volume = ramp(45, 1, 1);
    volume[25] = NAN;
    double[] ratio = daily(fill(45, 10), volume).get("volume_ratio");
    assertThat(Double.isNaN(ratio[18]), is(true));
    assertThat(ratio[19], closeTo(20 / 10.5, 1e-15));
    assertThat(ratio[24], closeTo(25 / 15.5, 1e-15));
    for (int i = 25; i < 45; i++) {
      assertThat("gap blanks 20 rows, row " + i, Double.isNaN(ratio[i]), is(true));
    }
    double[] zero = daily(fill(25, 10), fill(25, 0)).get("volume_ratio");
    assertThat(Double.isNaN(zero[24]), is(true));
  }

  @Test
  void volatilityIsSampleStdOfTwentyReturns() {
    double[] close = new double[21];
    close[0] = 100;
    for (int i = 1; i < 21; i++) {
      close[i] = close[i - 1] * Math.exp(i % 2 == 0 ? 0.01 : -0.01);
    }
    double[] vol = daily(close, fill(21, 1)).get("volatility_20d");
    assertThat(Double.isNaN(vol[19]), is(true));
    assertThat(vol[20], closeTo(0.01 * Math.sqrt(20.0 / 19), 1e-12));
  }

  @Test
  void bollingerBandsUseSampleStd() {
    LinkedHashMap<String, double[]> out = daily(ramp(20, 1, 1), fill(20, 1));
    // 1..20: mean 10.5, sample variance 35
    assertThat(out.get("bb_upper")[19], closeTo(10.5 + 2 * Math.sqrt(35), 1e-12));
    assertThat(out.get("bb_lower")[19], closeTo(10.5 - 2 * Math.sqrt(35), 1e-12));
    assertThat(Double.isNaN(out.get("bb_upper")[18]), is(true));
  }

  @Test
  void atrSeedsWithFourteenTrueRangesAndCarriesAcrossAGap() {
    int n = 18;
    double[] close = fill(n, 10);
    double[] high = fill(n, 11);
    double[] low = fill(n, 9);
    close[16] = high[16] = low[16] = NAN;
    close[17] = 14;
    high[17] = 15;
    low[17] = 13;
    double[] atr = SeedFeatures.stocksDaily(close, high, low, close, fill(n, 1)).get("atr_14");
    assertThat(Double.isNaN(atr[13]), is(true));
    assertThat(atr[14], is(2.0));
    assertThat(atr[15], is(2.0));
    assertThat(Double.isNaN(atr[16]), is(true));
    // true range from the last close before the gap: max(2, |15-10|, |13-10|) = 5
    assertThat(atr[17], closeTo((2.0 * 13 + 5) / 14, 1e-15));
  }

  @Test
  void rsiIsWilderAndUndefinedWhenFlat() {
    double[] rising = daily(ramp(16, 10, 1), fill(16, 1)).get("rsi_14");
    assertThat(Double.isNaN(rising[13]), is(true));
    assertThat(rising[14], is(100.0));
    assertThat(rising[15], is(100.0));
    double[] zigzag = new double[16];
    for (int i = 0; i < 16; i++) {
      zigzag[i] = i % 2 == 0 ? 10 : 11;
    }
    double[] rsi = daily(zigzag, fill(16, 1)).get("rsi_14");
    // 7 gains and 7 losses of 1: both averages 0.5
    assertThat(rsi[14], closeTo(50, 1e-12));
    // then a gain of 1: G = (0.5·13 + 1)/14, L = 0.5·13/14
    assertThat(rsi[15], closeTo(100 * 7.5 / 14.0, 1e-12));
    assertThat(Double.isNaN(daily(fill(16, 10), fill(16, 1)).get("rsi_14")[15]), is(true));
  }

  @Test
  void emaSeedsWithSimpleMeanAndSkipsGaps() {
    assertSeries("ema", SeedFeatures.ema(d(1, 2, 3, 4, 5), 3), NAN, NAN, 2, 3, 4);
    assertSeries("ema gap", SeedFeatures.ema(d(1, 2, NAN, 3, 4), 3), NAN, NAN, NAN, 2, 3);
  }

  @Test
  void macdStartsAtBar26AndSignalAtBar34() {
    LinkedHashMap<String, double[]> out = daily(fill(40, 10), fill(40, 1));
    assertThat(Double.isNaN(out.get("macd")[24]), is(true));
    assertThat(out.get("macd")[25], is(0.0));
    assertThat(Double.isNaN(out.get("macd_signal")[32]), is(true));
    assertThat(out.get("macd_signal")[33], is(0.0));
  }

  @Test
  void lateListingPaddedWithEmptySlotsGivesTheSameValues() {
    double[] close = ramp(40, 10, 0.5);
    for (int i = 0; i < 40; i += 3) {
      close[i] += 1;
    }
    double[] volume = ramp(40, 100, 7);
    double[] paddedClose = new double[50];
    double[] paddedVolume = new double[50];
    Arrays.fill(paddedClose, NAN);
    Arrays.fill(paddedVolume, NAN);
    System.arraycopy(close, 0, paddedClose, 10, 40);
    System.arraycopy(volume, 0, paddedVolume, 10, 40);
    LinkedHashMap<String, double[]> listed = daily(close, volume);
    LinkedHashMap<String, double[]> padded = daily(paddedClose, paddedVolume);
    for (String name : SeedFeatures.STOCKS_DAILY) {
      assertThat(name, Arrays.copyOfRange(padded.get(name), 10, 50), is(listed.get(name)));
    }
  }

  @Test
  void minuteFeaturesResetEverySession() {
    long[] session = {1, 1, 1, 2, 2, 2};
    double[] open = d(9.5, 10, NAN, 19, 20, 21);
    double[] high = d(10.5, 11.5, NAN, 21, 22, 23);
    double[] low = d(9, 10, NAN, 18, 20, 21);
    double[] close = d(10, 11, NAN, 20, 21, 22);
    double[] volume = d(100, 300, NAN, 0, 50, 50);
    LinkedHashMap<String, double[]> out = SeedFeatures.stocksMinute(open, high, low, close, volume, session);
    assertSeries("returns_1min", out.get("returns_1min"), NAN, LN11, NAN, NAN, Math.log(21.0 / 20), Math.log(22.0 / 21));
    assertSeries("intraday_momentum", out.get("intraday_momentum"), 10 / 9.5, 11 / 9.5, NAN, 20 / 19.0, 21 / 19.0,
        22 / 19.0);
    double tp0 = (10.5 + 9 + 10) / 3;
    double tp1 = (11.5 + 10 + 11) / 3;
    double vwap1 = (tp0 * 100 + tp1 * 300) / 400;
    double tp4 = (22 + 20 + 21) / 3.0;
    double tp5 = (23 + 21 + 22) / 3.0;
    double vwap5 = (tp4 * 50 + tp5 * 50) / 100;
    // session 2 opens with zero volume: no VWAP yet, NaN rather than 0/0
    assertSeries("vwap_intraday", out.get("vwap_intraday"), tp0, vwap1, NAN, NAN, tp4, vwap5);
    assertSeries("vwap_distance", out.get("vwap_distance"), (10 - tp0) / tp0, (11 - vwap1) / vwap1, NAN, NAN,
        (21 - tp4) / tp4, (22 - vwap5) / vwap5);
    assertSeries("spread", out.get("spread"), 0.15, 1.5 / 11, NAN, 0.15, 2 / 21.0, 2 / 22.0);
  }

  @Test
  void minuteWindowsCountBars() {
    int n = 30;
    long[] session = new long[n];
    double[] close = new double[n];
    double[] volume = new double[n];
    for (int i = 0; i < n; i++) {
      session[i] = i < 10 ? 1 : 2;
      close[i] = 100 * Math.exp(0.001 * i * (i % 2 == 0 ? 1 : -1) + 0.0005 * i);
      volume[i] = i + 1;
    }
    volume[12] = NAN;
    close[12] = NAN;
    LinkedHashMap<String, double[]> out = SeedFeatures.stocksMinute(close, close, close, close, volume, session);
    double[] ratio = out.get("minute_volume_ratio");
    assertThat(Double.isNaN(ratio[19]), is(true));
    // bars 0..20 minus the empty slot 12: the 20 bars have volumes 1..21 without 13
    assertThat(ratio[20], closeTo(21 / ((231.0 - 13) / 20), 1e-12));
    double[] vol = out.get("volatility_5min");
    double[] r1 = out.get("returns_1min");
    assertThat("session 1 has returns from bar 1, so bar 5 is the first with five", Double.isNaN(vol[4]), is(true));
    assertThat(vol[5], closeTo(sampleStd(Arrays.copyOfRange(r1, 1, 6)), 1e-15));
    assertThat("new session: the first bar has no 1-min return", Double.isNaN(vol[14]), is(true));
    assertThat(Double.isNaN(r1[13]), is(true));
    assertThat(vol[18], closeTo(sampleStd(Arrays.copyOfRange(r1, 14, 19)), 1e-15));
    assertSeries("returns_5min", Arrays.copyOfRange(out.get("returns_5min"), 9, 16),
        Math.log(close[9] / close[4]), NAN, NAN, NAN, NAN, NAN, Math.log(close[15] / close[10]));
  }

  private static double sampleStd(double[] x) {
    double mean = Arrays.stream(x).average().orElseThrow();
    double ss = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum();
    return Math.sqrt(ss / (x.length - 1));
  }

  @Test
  void optionFeatures() {
    long[] days = {19000, 19001, 19004};
    LinkedHashMap<String, double[]> out = SeedFeatures.options(days, 19004, 105, d(2, 2.5, 1), d(10, 0, 5),
        d(100, 0, NAN));
    assertSeries("days_to_expiry", out.get("days_to_expiry"), 4, 3, 0);
    assertSeries("moneyness", out.get("moneyness"), 1.05, NAN, NAN);
    assertSeries("returns_1d", out.get("returns_1d"), NAN, Math.log(1.25), Math.log(0.4));
    assertSeries("volume_ratio", out.get("volume_ratio"), NAN, NAN, NAN);
    assertThat(SeedFeatures.daysToExpiry(19005, 19004), is(-1L));
    assertThat(SeedFeatures.putCallRatio(30, 20), is(1.5));
    assertThat(Double.isNaN(SeedFeatures.putCallRatio(30, 0)), is(true));
    assertThat(SeedFeatures.putCallRatio(0, 20), is(0.0));
  }

  @Test
  void optionVolumeRatioOverTwentySessions() {
    int n = 21;
    double[] volume = ramp(n, 10, 10);
    LinkedHashMap<String, double[]> out = SeedFeatures.options(new long[n], 0, 1, fill(n, 1), volume, fill(n, 1));
    // sessions 1..20 hold 20..210, mean 115
    assertThat(out.get("volume_ratio")[20], closeTo(210 / 115.0, 1e-15));
  }
  /** A random walk with gap slots (NaN in every column), a zero-volume bar and flat stretches. */
  private static double[][] walk(int n, long seed, double gapRate) {
    Random r = new Random(seed);
    double[][] c = new double[5][n]; // open, high, low, close, volume
    double p = 50;
    for (int i = 0; i < n; i++) {
      if (r.nextDouble() < gapRate) {
        for (double[] col : c) {
          col[i] = Double.NaN;
        }
        continue;
      }
      double o = p;
      p = i % 37 < 3 ? p : p * Math.exp(r.nextGaussian() * 0.02);
      c[0][i] = o;
      c[1][i] = Math.max(o, p) + r.nextDouble();
      c[2][i] = Math.min(o, p) - r.nextDouble();
      c[3][i] = p;
      c[4][i] = i == 40 ? 0 : Math.floor(r.nextDouble() * 1e6);
    }
    return c;
  }

  private static double[][] from(double[][] cols, int k) {
    double[][] out = new double[cols.length][];
    for (int j = 0; j < cols.length; j++) {
      out[j] = Arrays.copyOfRange(cols[j], k, cols[j].length);
    }
    return out;
  }

  /** Bit-for-bit equality of every column from slot k of the whole run. */
  private static void assertContinues(LinkedHashMap<String, double[]> whole, LinkedHashMap<String, double[]> cut,
      int k) {
    for (String name : whole.keySet()) {
      double[] w = Arrays.copyOfRange(whole.get(name), k, whole.get(name).length);
      double[] c = cut.get(name);
      for (int i = 0; i < w.length; i++) {
        assertThat(name + " at slot " + (k + i), Double.doubleToLongBits(c[i]), is(Double.doubleToLongBits(w[i])));
      }
    }
  }

  @Test
  void dailyFeaturesContinueBitForBitFromACarryTakenAnywhere() {
    double[][] x = walk(400, 7, 0.08);
    LinkedHashMap<String, double[]> whole = SeedFeatures.stocksDaily(x[0], x[1], x[2], x[3], x[4]);
    // Cuts before the EMAs and Wilder averages are seeded (5, 20), after (150, 333), and at a gap.
    for (int k : new int[] {0, 5, 20, 150, 333, 399}) {
      SeedFeatures.Carry first = new SeedFeatures.Carry(new double[0], k, SeedFeatures.DAILY_CARRY);
      LinkedHashMap<String, double[]> again = SeedFeatures.stocksDaily(x[0], x[1], x[2], x[3], x[4], first);
      assertContinues(whole, again, 0); // taking a carry changes nothing
      double[][] y = from(x, k);
      LinkedHashMap<String, double[]> cut = SeedFeatures.stocksDaily(y[0], y[1], y[2], y[3], y[4],
          new SeedFeatures.Carry(first.out, -1, SeedFeatures.DAILY_CARRY));
      // Window features need up to 21 slots before a value: compare from there on, recursions everywhere.
      LinkedHashMap<String, double[]> recursive = new LinkedHashMap<>();
      LinkedHashMap<String, double[]> cutRecursive = new LinkedHashMap<>();
      for (String name : List.of("atr_14", "rsi_14", "macd", "macd_signal")) {
        recursive.put(name, whole.get(name));
        cutRecursive.put(name, cut.get(name));
      }
      assertContinues(recursive, cutRecursive, k);
      if (k + 21 < 400) {
        LinkedHashMap<String, double[]> late = new LinkedHashMap<>();
        cut.forEach((name, v) -> late.put(name, Arrays.copyOfRange(v, 21, v.length)));
        assertContinues(whole, late, k + 21);
      }
    }
    // Without the carry the recursions do differ after a cut: the carry is what makes them equal.
    double[][] y = from(x, 150);
    double[] fresh = SeedFeatures.stocksDaily(y[0], y[1], y[2], y[3], y[4]).get("macd_signal");
    assertThat(Double.doubleToLongBits(fresh[100]) == Double.doubleToLongBits(whole.get("macd_signal")[250]),
        is(false));
  }

  @Test
  void minuteVolumeRatioContinuesItsBarWindowFromACarry() {
    // A rarely trading symbol: 3 % of the slots hold a bar, so 20 bars span ~660 slots.
    double[][] x = walk(3000, 11, 0.97);
    long[] session = new long[3000];
    for (int i = 0; i < session.length; i++) {
      session[i] = i / 390;
    }
    LinkedHashMap<String, double[]> whole = SeedFeatures.stocksMinute(x[0], x[1], x[2], x[3], x[4], session);
    int k = 2340; // a session start
    SeedFeatures.Carry first = new SeedFeatures.Carry(new double[0], k, SeedFeatures.MINUTE_CARRY);
    SeedFeatures.stocksMinute(x[0], x[1], x[2], x[3], x[4], session, first);
    double[][] y = from(x, k);
    long[] s = Arrays.copyOfRange(session, k, session.length);
    LinkedHashMap<String, double[]> cut = SeedFeatures.stocksMinute(y[0], y[1], y[2], y[3], y[4], s,
        new SeedFeatures.Carry(first.out, -1, SeedFeatures.MINUTE_CARRY));
    assertContinues(whole, cut, k);
    long values = Arrays.stream(cut.get("minute_volume_ratio")).filter(v -> !Double.isNaN(v)).count();
    assertThat("ratios after the cut", values > 10, is(true));
  }
}
