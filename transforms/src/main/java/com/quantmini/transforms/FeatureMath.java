package com.quantmini.transforms;

import com.quantmini.transforms.adjust.Adjustment;
import com.quantmini.transforms.adjust.CorporateAction;
import com.quantmini.transforms.features.Alpha158;
import com.quantmini.transforms.features.FeatureRegistry;
import com.quantmini.transforms.features.OptionsAnalytics;
import com.quantmini.transforms.features.OptionsModel;
import com.quantmini.transforms.features.SeedFeatures;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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

  /** Names of the float32 columns (Alpha158, Qlib's spelling), from {@link FeatureRegistry}. */
  public static List<String> floatNames(Dataset ds, List<String> families) {
    return FeatureRegistry.of(ds, families).floatNames();
  }

  /**
   * Stock prices are adjusted (see {@link Adjustment}); these double columns come first in silver,
   * and Qlib gets factor and change as fields and the adjusted prices and volume as its bar fields.
   */
  public static final List<String> ADJUSTED =
      FeatureRegistry.ADJUSTMENT.stream().map(FeatureRegistry.Feature::name).toList();

  /** Whether a dataset's prices are adjusted for splits and dividends (options never are). */
  public static boolean adjusted(Dataset ds) {
    return !ds.isOptions();
  }

  /** Names of the double columns: the adjusted fields (stocks), then the seed set, from {@link FeatureRegistry}. */
  public static List<String> doubleNames(Dataset ds, List<String> families) {
    return FeatureRegistry.of(ds, families).doubleNames();
  }

  /** Feature columns of one series: float32 ones and double ones, each as long as the series. */
  public static final class Columns {
    public final float[][] floats;
    public final double[][] doubles;
    /** What the features remember before the mark slot asked for (see {@link SeedFeatures.Carry}). */
    public final double[] carry;
    /** Dividends the adjustment could not apply (no earlier bar, or cash at or above the close). */
    public final int skippedDividends;

    Columns(float[][] floats, double[][] doubles, double[] carry, int skippedDividends) {
      this.floats = floats;
      this.doubles = doubles;
      this.carry = carry;
      this.skippedDividends = skippedDividends;
    }
  }

  /**
   * Length of the carry a dataset keeps between runs: the seed features' part, then for stocks the
   * adjustment's ({@link Adjustment#CARRY}).
   */
  public static int carrySize(Dataset ds, List<String> families) {
    return FeatureRegistry.of(ds, families).carrySize();
  }

  private static int seedCarrySize(Dataset ds, List<String> families) {
    return carrySize(ds, families) - (adjusted(ds) ? Adjustment.CARRY : 0);
  }

  /**
   * Features of one symbol. {@code calendar} holds the dataset's slot times; {@code underlyingClose}
   * maps an options root to its stocks_daily close per session (epoch day), possibly empty.
   */
  public static Columns compute(SymbolSeries s, Dataset ds, long[] calendar, List<String> families,
      Map<String, Map<Long, Double>> underlyingClose) {
    return compute(s, ds, calendar, families, new Underlyings(underlyingClose, Map.of(), OptionsModel.defaults()),
        0, new double[0], -1, List.of());
  }

  /**
   * What options features need of their underlyings: stocks_daily closes per root and session
   * (epoch day; moneyness, and S of daily contracts), stocks_minute closes per root and bar time
   * (ns; S of minute contracts), and the model's rate and dividend yield.
   */
  public static final class Underlyings {
    final Map<String, Map<Long, Double>> dailyClose;
    final Map<String, Map<Long, Double>> minuteClose;
    final OptionsModel model;

    public Underlyings(Map<String, Map<Long, Double>> dailyClose, Map<String, Map<Long, Double>> minuteClose,
        OptionsModel model) {
      this.dailyClose = dailyClose;
      this.minuteClose = minuteClose;
      this.model = model;
    }
  }

  /**
   * As above, with Alpha158 computed only from index {@code alphaFrom} of the series on (NaN
   * before it). Every Alpha158 value depends on at most the 61 slots before it, and the rolling
   * sums are exact, so a suffix that starts the set's look-back ({@link FeatureRegistry.FeatureSet#lookback}) before the
   * first value needed gives that value bit for bit; an incremental daily run then costs a window,
   * not the symbol's whole history. The seed's EMA, Wilder and bar-window features continue from
   * {@code carryIn} (what they knew before slot 0; empty when the series starts at the symbol's
   * first bar), and the result's carry is theirs before index {@code mark}. Stock features are
   * computed on prices adjusted by {@code events} (the symbol's, sorted), continuing the factor
   * carried in the same way.
   */
  public static Columns compute(SymbolSeries raw, Dataset ds, long[] calendar, List<String> families,
      Underlyings underlyings, int alphaFrom, double[] carryIn, int mark, List<CorporateAction> events) {
    return compute(raw, ds, calendar, families, underlyings, alphaFrom, alphaFrom, carryIn, mark, events);
  }

  /**
   * As above, Alpha158 only wanted from index {@code alphaFirst} on: the slots from {@code alphaFrom}
   * to it are its look-back, over which each window's operators start only one window ahead
   * ({@link Alpha158#compute(float[], float[], float[], float[], float[], float[], int)}).
   */
  public static Columns compute(SymbolSeries raw, Dataset ds, long[] calendar, List<String> families,
      Underlyings underlyings, int alphaFrom, int alphaFirst, double[] carryIn, int mark, List<CorporateAction> events) {
    int seedSize = seedCarrySize(ds, families);
    if (carryIn.length != 0 && carryIn.length != carrySize(ds, families)) {
      throw new IllegalArgumentException("a carry of " + carrySize(ds, families) + " values expected, got "
          + carryIn.length);
    }
    SymbolSeries s = raw;
    Adjustment.Result adj = null;
    if (adjusted(ds)) {
      long[] day = new long[raw.length()];
      for (int k = 0; k < day.length; k++) {
        long t = calendar[raw.start + k];
        day[k] = ds.isDaily() ? t : nyDay(t);
      }
      adj = Adjustment.factors(day, raw.close, events,
          carryIn.length == 0 ? carryIn : Arrays.copyOfRange(carryIn, seedSize, carryIn.length), mark);
      s = adjust(raw, adj.factor);
    }
    int n = s.length();
    SeedFeatures.Carry carry = new SeedFeatures.Carry(
        carryIn.length == 0 ? carryIn : Arrays.copyOf(carryIn, seedSize), mark, seedSize);
    float[][] floats = new float[0][];
    if (alpha(ds, families)) {
      int a = Math.max(0, Math.min(alphaFrom, n));
      floats = Alpha158.compute(f32(s.open, a), f32(s.high, a), f32(s.low, a), f32(s.close, a),
          f32(s.volume, a), null, Math.max(0, alphaFirst - a));
      if (a > 0) {
        for (int f = 0; f < floats.length; f++) {
          float[] full = new float[n];
          Arrays.fill(full, 0, a, Float.NaN);
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
        double[] spot = ds.isDaily() ? under : new double[n]; // S: the same session's or minute's close
        Map<Long, Double> closes = underlyings.dailyClose.getOrDefault(t.underlying(), Map.of());
        Map<Long, Double> minutes = underlyings.minuteClose.getOrDefault(t.underlying(), Map.of());
        for (int k = 0; k < n; k++) {
          long time = calendar[s.start + k];
          day[k] = ds.isDaily() ? time : nyDay(time);
          under[k] = closes.getOrDefault(day[k], Double.NaN);
          if (!ds.isDaily()) {
            spot[k] = minutes.getOrDefault(time, Double.NaN);
          }
        }
        cols = SeedFeatures.options(day, t.expiration().toEpochDay(), t.strike(), s.close, s.volume, under);
        double[][] greeks = OptionsAnalytics.compute(t.isCall(), t.strike(), t.expiration().toEpochDay(), day,
            s.close, spot, underlyings.model);
        for (int i = 0; i < greeks.length; i++) {
          cols.put(OptionsAnalytics.NAMES.get(i), greeks[i]);
        }
      }
      doubles = inRegistryOrder(cols, ds, families);
    }
    if (adj == null) {
      return new Columns(floats, doubles, carry.out, 0);
    }
    double[][] all = new double[ADJUSTED.size() + doubles.length][];
    all[0] = adj.factor;
    all[1] = change(s.close, carryIn.length == 0 ? Double.NaN : carryIn[seedSize] * carryIn[seedSize + 2]);
    all[2] = s.open;
    all[3] = s.high;
    all[4] = s.low;
    all[5] = s.close;
    all[6] = s.volume;
    System.arraycopy(doubles, 0, all, ADJUSTED.size(), doubles.length);
    double[] carryOut = Arrays.copyOf(carry.out, seedSize + Adjustment.CARRY);
    System.arraycopy(adj.carry, 0, carryOut, seedSize, Adjustment.CARRY);
    return new Columns(floats, all, carryOut, adj.skippedDividends);
  }

  /** The seed columns in the registry's order; a computed set that differs from it is a bug, not data. */
  private static double[][] inRegistryOrder(Map<String, double[]> cols, Dataset ds, List<String> families) {
    List<String> names = doubleNames(ds, families);
    names = names.subList(adjusted(ds) ? ADJUSTED.size() : 0, names.size());
    if (!cols.keySet().equals(Set.copyOf(names))) {
      throw new IllegalStateException(ds + ": the seed set computed " + cols.keySet() + " but the registry declares "
          + names);
    }
    double[][] out = new double[names.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = cols.get(names.get(i));
    }
    return out;
  }

  /**
   * Prices times the factor, volume divided by it, in double; transactions stay as traded. A series
   * whose factor is 1 at every bar (no split or dividend: most symbols, and every one without an
   * events source) is its own adjustment, bit for bit, and is returned as it is.
   */
  public static SymbolSeries adjust(SymbolSeries raw, double[] factor) {
    if (unit(raw, factor)) {
      return raw;
    }
    int n = raw.length();
    double[] o = new double[n];
    double[] h = new double[n];
    double[] l = new double[n];
    double[] c = new double[n];
    double[] v = new double[n];
    for (int k = 0; k < n; k++) {
      double f = factor[k]; // NaN without a bar, like the prices
      o[k] = raw.open[k] * f;
      h[k] = raw.high[k] * f;
      l[k] = raw.low[k] * f;
      c[k] = raw.close[k] * f;
      v[k] = raw.volume[k] / f;
    }
    return new SymbolSeries(raw.ticker, raw.instrument, raw.start, o, h, l, c, v, raw.transactions,
        raw.windowStart);
  }

  /** Whether the factor is 1 at every slot, or NaN at a slot whose adjusted values are NaN anyway. */
  private static boolean unit(SymbolSeries raw, double[] factor) {
    for (int k = 0; k < factor.length; k++) {
      double f = factor[k];
      if (f != 1.0 && !(Double.isNaN(f) && Double.isNaN(raw.open[k]) && Double.isNaN(raw.high[k])
          && Double.isNaN(raw.low[k]) && Double.isNaN(raw.close[k]) && Double.isNaN(raw.volume[k]))) {
        return false;
      }
    }
    return true;
  }

  /** close / previous bar's close - 1 (Qlib's $change); {@code before} is the bar's before slot 0. */
  public static double[] change(double[] close, double before) {
    double[] out = new double[close.length];
    double prev = before;
    for (int k = 0; k < close.length; k++) {
      if (Double.isNaN(close[k])) {
        out[k] = Double.NaN;
        continue;
      }
      out[k] = close[k] / prev - 1;
      prev = close[k];
    }
    return out;
  }

  /** One New York day as an interval of instants in ns: [from, until). */
  private record NyDaySpan(long fromNanos, long untilNanos, long epochDay) {
    boolean holds(long epochNanos) {
      return epochNanos >= fromNanos && epochNanos < untilNanos;
    }
  }

  /**
   * The last day {@link #nyDay} looked up. Minute bars come in runs of one day, and the zone
   * lookup per bar was a third of the features step of a minute ingest (a JFR profile); the span is
   * immutable, so threads that race on it only look a day up again.
   */
  private static volatile NyDaySpan lastNyDay = new NyDaySpan(0, 0, 0);

  /** The New York calendar day (epoch day) of an instant in ns. */
  public static long nyDay(long epochNanos) {
    NyDaySpan last = lastNyDay;
    if (last.holds(epochNanos)) {
      return last.epochDay();
    }
    LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L)), NEW_YORK);
    long from = day.atStartOfDay(NEW_YORK).toEpochSecond() * 1_000_000_000L;
    long until = day.plusDays(1).atStartOfDay(NEW_YORK).toEpochSecond() * 1_000_000_000L;
    lastNyDay = new NyDaySpan(from, until, day.toEpochDay());
    return day.toEpochDay();
  }

  private static float[] f32(double[] x, int from) {
    float[] f = new float[x.length - from];
    for (int i = from; i < x.length; i++) {
      f[i - from] = (float) x[i];
    }
    return f;
  }

  /** Put/call volume ratio per underlying root for one options session: root → {put, call, ratio}. */
  public static Map<String, double[]> putCallVolumes(BarBlock b) {
    Map<String, double[]> out = new TreeMap<>();
    for (int i = 0; i < b.size(); i++) {
      OptionsTicker t = OptionsTicker.parse(b.ticker(i));
      double[] v = out.computeIfAbsent(t.underlying(), k -> new double[3]);
      v[t.isCall() ? 1 : 0] += b.volume(i);
    }
    out.values().forEach(v -> v[2] = SeedFeatures.putCallRatio(v[0], v[1]));
    return out;
  }
}
