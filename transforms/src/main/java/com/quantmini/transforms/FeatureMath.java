package com.quantmini.transforms;

import com.quantmini.transforms.features.Alpha158;
import com.quantmini.transforms.features.SeedFeatures;
import com.quantmini.transforms.model.Dataset;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which features a dataset gets and how one symbol's series is turned into them; no Beam types.
 * Alpha158 goes to the stock datasets (on their own calendar, as Qlib evaluates it), the seed set
 * of each dataset to all four. Flat files carry no vwap, so VWAP0 is NaN (never the typical price).
 */
public final class FeatureMath {
  private FeatureMath() {}

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  public static boolean alpha(Dataset ds, List<String> families) {
    return !ds.isOptions() && families.contains("alpha158");
  }

  public static boolean seed(List<String> families) {
    return families.contains("seed");
  }

  /** Names of the float32 columns (Alpha158, Qlib's spelling). */
  public static List<String> floatNames(Dataset ds, List<String> families) {
    return alpha(ds, families) ? Alpha158.NAMES : List.of();
  }

  /** Names of the double columns (the seed set). */
  public static List<String> doubleNames(Dataset ds, List<String> families) {
    if (!seed(families)) {
      return List.of();
    }
    switch (ds) {
      case stocks_daily:
        return SeedFeatures.STOCKS_DAILY;
      case stocks_minute:
        return SeedFeatures.STOCKS_MINUTE;
      default:
        return SeedFeatures.OPTIONS;
    }
  }

  /** Feature columns of one series: float32 ones and double ones, each as long as the series. */
  public static final class Columns {
    public final float[][] floats;
    public final double[][] doubles;
    /** What the features remember before the mark slot asked for (see {@link SeedFeatures.Carry}). */
    public final double[] carry;

    Columns(float[][] floats, double[][] doubles, double[] carry) {
      this.floats = floats;
      this.doubles = doubles;
      this.carry = carry;
    }
  }

  /** Length of the carry a dataset's features keep between runs (0: every window fits the tail). */
  public static int carrySize(Dataset ds, List<String> families) {
    if (!seed(families)) {
      return 0;
    }
    return ds == Dataset.stocks_daily ? SeedFeatures.DAILY_CARRY
        : ds == Dataset.stocks_minute ? SeedFeatures.MINUTE_CARRY : 0;
  }

  /**
   * Features of one symbol. {@code calendar} holds the dataset's slot times; {@code underlyingClose}
   * maps an options root to its stocks_daily close per session (epoch day), possibly empty.
   */
  public static Columns compute(SymbolSeries s, Dataset ds, long[] calendar, List<String> families,
      Map<String, Map<Long, Double>> underlyingClose) {
    return compute(s, ds, calendar, families, underlyingClose, 0, new double[0], -1);
  }

  /**
   * As above, with Alpha158 computed only from index {@code alphaFrom} of the series on (NaN
   * before it). Every Alpha158 value depends on at most the 61 slots before it, and the rolling
   * sums are exact, so a suffix that starts {@link WindowedFeatures#LOOKBACK} slots before the
   * first value needed gives that value bit for bit; an incremental daily run then costs a window,
   * not the symbol's whole history. The seed's EMA, Wilder and bar-window features continue from
   * {@code carryIn} (what they knew before slot 0; empty when the series starts at the symbol's
   * first bar), and the result's carry is theirs before index {@code mark}.
   */
  public static Columns compute(SymbolSeries s, Dataset ds, long[] calendar, List<String> families,
      Map<String, Map<Long, Double>> underlyingClose, int alphaFrom, double[] carryIn, int mark) {
    int n = s.length();
    SeedFeatures.Carry carry = new SeedFeatures.Carry(carryIn, mark, carrySize(ds, families));
    float[][] floats = new float[0][];
    if (alpha(ds, families)) {
      int a = Math.max(0, Math.min(alphaFrom, n));
      floats = Alpha158.compute(f32(s.open, a), f32(s.high, a), f32(s.low, a), f32(s.close, a),
          f32(s.volume, a), null);
      if (a > 0) {
        for (int f = 0; f < floats.length; f++) {
          float[] full = new float[n];
          java.util.Arrays.fill(full, 0, a, Float.NaN);
          System.arraycopy(floats[f], 0, full, a, n - a);
          floats[f] = full;
        }
      }
    }
    double[][] doubles = new double[0][];
    if (seed(families)) {
      LinkedHashMap<String, double[]> cols;
      if (ds == Dataset.stocks_daily) {
        cols = SeedFeatures.stocksDaily(s.open, s.high, s.low, s.close, s.volume, carry);
      } else if (ds == Dataset.stocks_minute) {
        long[] session = new long[n];
        for (int k = 0; k < n; k++) {
          session[k] = nyDay(calendar[s.start + k]);
        }
        cols = SeedFeatures.stocksMinute(s.open, s.high, s.low, s.close, s.volume, session, carry);
      } else {
        OptionsTicker t = OptionsTicker.parse(s.ticker);
        long[] day = new long[n];
        double[] under = new double[n];
        Map<Long, Double> closes = underlyingClose.getOrDefault(t.underlying(), Map.of());
        for (int k = 0; k < n; k++) {
          long time = calendar[s.start + k];
          day[k] = ds.isDaily() ? time : nyDay(time);
          under[k] = closes.getOrDefault(day[k], Double.NaN);
        }
        cols = SeedFeatures.options(day, t.expiration().toEpochDay(), t.strike(), s.close, s.volume, under);
      }
      doubles = cols.values().toArray(new double[0][]);
    }
    return new Columns(floats, doubles, carry.out);
  }

  /** The New York calendar day (epoch day) of an instant in ns. */
  public static long nyDay(long epochNanos) {
    return LocalDate.ofInstant(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L)), NEW_YORK)
        .toEpochDay();
  }

  private static float[] f32(double[] x, int from) {
    float[] f = new float[x.length - from];
    for (int i = from; i < x.length; i++) {
      f[i - from] = (float) x[i];
    }
    return f;
  }

  /** Put/call volume ratio per underlying root for one options session: root → {put, call, ratio}. */
  public static Map<String, double[]> putCallVolumes(com.quantmini.transforms.model.BarBlock b) {
    Map<String, double[]> out = new java.util.TreeMap<>();
    for (int i = 0; i < b.size(); i++) {
      OptionsTicker t = OptionsTicker.parse(b.ticker(i));
      double[] v = out.computeIfAbsent(t.underlying(), k -> new double[3]);
      v[t.isCall() ? 1 : 0] += b.volume(i);
    }
    out.values().forEach(v -> v[2] = SeedFeatures.putCallRatio(v[0], v[1]));
    return out;
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
