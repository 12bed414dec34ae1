package com.quantmini.transforms.features;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * The seed project's feature sets (stocks_daily, stocks_minute, options), with their formulas corrected.
 *
 * <p>Shared contract: inputs are one symbol's (or contract's) series on consecutive calendar slots, NaN where a slot has
 * no bar; outputs are double series of the same length in a name-ordered map, NaN standing for null. No output is ±inf
 * for finite inputs: a ratio with a zero or missing denominator, or the log of a non-positive price, gives NaN.
 *
 * <p>Gap policy. Window statistics (moving means, standard deviations, Bollinger bands, volume ratios) are strict: a
 * window of N slots yields a value only if all N slots hold a value, as pandas' {@code rolling(N)} does, so a gap
 * blanks the next N−1 rows and the first N−1 rows are NaN. Recursive indicators (Wilder's ATR and RSI, the MACD EMAs)
 * advance per bar: a gap slot outputs NaN and leaves their state as it was, and the next bar continues from the last
 * bar before the gap (its true range and price change are measured from that bar's close), which is how a charting
 * package treats a halted day. Returns are measured between slots, so a return across a gap is NaN.
 */
public final class SeedFeatures {
  /** Column order of {@link #stocksDaily} ({@link FeatureRegistry}). */
  public static final List<String> STOCKS_DAILY = names(FeatureRegistry.SEED_DAILY);
  /** Column order of {@link #stocksMinute}. */
  public static final List<String> STOCKS_MINUTE = names(FeatureRegistry.SEED_MINUTE);
  /** Column order of {@link #options} (the analytics' columns follow in the registry). */
  public static final List<String> OPTIONS = List.of("days_to_expiry", "moneyness", "returns_1d", "volume_ratio");

  static final int VOLUME_WINDOW = 20;
  private static final int VOLATILITY_WINDOW = 20;
  private static final int BOLLINGER_WINDOW = 20;
  private static final int WILDER_PERIOD = 14;

  private SeedFeatures() {}

  /** Length of {@link #stocksDaily}'s carry: the last close, then (inputs seen, value) of six recursions. */
  public static final int DAILY_CARRY = size(FeatureRegistry.SEED_DAILY_CARRY);
  /** Length of {@link #stocksMinute}'s carry: bars seen, then the volume ring of minute_volume_ratio. */
  public static final int MINUTE_CARRY = size(FeatureRegistry.SEED_MINUTE_CARRY);
  // Where each recursion keeps its (inputs seen, value) in the daily carry, and the minute ring.
  private static final int LAST_CLOSE = daily("last_close");
  private static final int EMA12 = daily("macd.ema12");
  private static final int EMA26 = daily("macd.ema26");
  private static final int EMA9 = daily("macd_signal.ema9");
  private static final int ATR = daily("atr_14.wilder");
  private static final int RSI_GAIN = daily("rsi_14.gain");
  private static final int RSI_LOSS = daily("rsi_14.loss");
  private static final int RING_SEEN = FeatureRegistry.offset(FeatureRegistry.SEED_MINUTE_CARRY,
      "minute_volume_ratio.seen");
  private static final int RING = FeatureRegistry.offset(FeatureRegistry.SEED_MINUTE_CARRY,
      "minute_volume_ratio.ring");

  private static List<String> names(List<FeatureRegistry.Feature> features) {
    return features.stream().map(FeatureRegistry.Feature::name).toList();
  }

  private static int size(List<FeatureRegistry.CarrySlot> layout) {
    return layout.stream().mapToInt(FeatureRegistry.CarrySlot::size).sum();
  }

  private static int daily(String slot) {
    return FeatureRegistry.offset(FeatureRegistry.SEED_DAILY_CARRY, slot);
  }

  /**
   * What features that remember more than a window (EMA, Wilder, a window of bars rather than
   * slots) know before a series' first slot, so a series cut to its last slots continues bit for bit:
   * {@code in} is read before slot 0 (empty: the series starts at the symbol's first bar), and
   * {@code out} is filled with the same before slot {@code mark}.
   */
  public static final class Carry {
    final double[] in;
    final int mark;
    public final double[] out;

    public Carry(double[] in, int mark, int size) {
      if (in.length != 0 && in.length != size) {
        throw new IllegalArgumentException("a carry of " + size + " values expected, got " + in.length);
      }
      this.in = in;
      this.mark = mark;
      this.out = new double[size];
    }

    /** No history before slot 0, nothing to keep. */
    static Carry none(int size) {
      return new Carry(new double[0], -1, size);
    }

    double get(int i, double empty) {
      return in.length == 0 ? empty : in[i];
    }
  }

  /** Progress of one recursion (EMA or Wilder smoothing), read from and written to a carry. */
  private static final class Recursion {
    int count;
    double state;

    Recursion(Carry c, int at) {
      count = (int) c.get(at, 0);
      state = c.get(at + 1, 0);
    }

    void keep(Carry c, int at) {
      c.out[at] = count;
      c.out[at + 1] = state;
    }
  }

  /**
   * Daily stock features of one symbol.
   *
   * <ul>
   *   <li>returns_k = ln(close_t / close_{t−k}), k slots back; alpha_k = −returns_k.
   *   <li>volume_ratio = volume / mean of volume over the last 20 slots, today included.
   *   <li>volatility_20d = sample std of returns_1d over 20 slots (so 21 consecutive closes).
   *   <li>atr_14: true range needs a previous close, so the first ATR is the mean of the true ranges of bars 2…15 and
   *       is reported at bar 15; then ATR = (13·ATR + TR) / 14.
   *   <li>rsi_14 = 100·G / (G + L) with Wilder-smoothed average gain G and loss L seeded like the ATR; NaN when both
   *       are 0 (a flat market has no defined RSI), 100 when only losses are 0.
   *   <li>EMAs use α = 2/(N+1), seeded with the simple mean of their first N inputs, so macd starts at bar 26 and
   *       macd_signal (EMA9 of macd) at bar 34.
   *   <li>bb_upper/bb_lower = MA20 ± 2·std20, sample std.
   * </ul>
   */
  public static LinkedHashMap<String, double[]> stocksDaily(
      double[] open, double[] high, double[] low, double[] close, double[] volume) {
    return stocksDaily(open, high, low, close, volume, Carry.none(DAILY_CARRY));
  }

  /** As above, continuing from {@code carry.in} and leaving the carry before {@code carry.mark}. */
  public static LinkedHashMap<String, double[]> stocksDaily(
      double[] open, double[] high, double[] low, double[] close, double[] volume, Carry carry) {
    int n = close.length;
    checkLengths(n, open, high, low, volume);
    double[] r1 = logReturn(close, 1);
    double[] r5 = logReturn(close, 5);
    double[] r20 = logReturn(close, 20);
    double[] range = new double[n];
    double[] dailyReturn = new double[n];
    double[] typical = new double[n];
    double[] moneyFlow = new double[n];
    for (int i = 0; i < n; i++) {
      range[i] = high[i] - low[i];
      dailyReturn[i] = ratio(close[i] - open[i], open[i]);
      typical[i] = (high[i] + low[i] + close[i]) / 3;
      moneyFlow[i] = volume[i] * typical[i];
    }
    double[] bbMean = strictMean(close, BOLLINGER_WINDOW);
    double[] bbStd = strictStd(close, BOLLINGER_WINDOW);
    double[] bbUpper = new double[n];
    double[] bbLower = new double[n];
    for (int i = 0; i < n; i++) {
      bbUpper[i] = bbMean[i] + 2 * bbStd[i];
      bbLower[i] = bbMean[i] - 2 * bbStd[i];
    }
    double[] ema12 = ema(close, 12, carry, EMA12);
    double[] ema26 = ema(close, 26, carry, EMA26);
    double[] macd = new double[n];
    for (int i = 0; i < n; i++) {
      macd[i] = ema12[i] - ema26[i];
    }
    LinkedHashMap<String, double[]> out = new LinkedHashMap<>();
    out.put("returns_1d", r1);
    out.put("returns_5d", r5);
    out.put("returns_20d", r20);
    out.put("alpha_daily", negate(r1));
    out.put("alpha_5d", negate(r5));
    out.put("alpha_20d", negate(r20));
    out.put("price_range", range);
    out.put("daily_return", dailyReturn);
    out.put("volume_ratio", volumeRatio(volume, VOLUME_WINDOW));
    out.put("typical_price", typical);
    out.put("money_flow", moneyFlow);
    out.put("volatility_20d", strictStd(r1, VOLATILITY_WINDOW));
    double[] prev = previousBarClose(close, carry);
    out.put("atr_14", atr(high, low, prev, WILDER_PERIOD, carry, ATR));
    out.put("rsi_14", rsi(close, prev, WILDER_PERIOD, carry, RSI_GAIN, RSI_LOSS));
    out.put("macd", macd);
    out.put("macd_signal", ema(macd, 9, carry, EMA9));
    out.put("bb_upper", bbUpper);
    out.put("bb_lower", bbLower);
    return out;
  }

  /**
   * Minute stock features of one symbol over the minute calendar; {@code session[i]} identifies the trading session of
   * slot i (non-decreasing).
   *
   * <ul>
   *   <li>returns_1min, returns_5min: ln(close_t / close_{t−k}), k slots back within the same session, so they never
   *       include the overnight move.
   *   <li>intraday_momentum = close / the open of the session's first bar.
   *   <li>minute_volume_ratio = volume / mean volume of the last 20 bars, this one included; minute files omit minutes
   *       without trades, so this window counts bars (across sessions), not slots.
   *   <li>vwap_intraday = Σ typical·volume / Σ volume over the session's bars so far; vwap_distance = (close − vwap) /
   *       vwap.
   *   <li>spread = (high − low) / close.
   *   <li>volatility_5min = sample std of returns_1min over the last 5 bars of the session; NaN unless all 5 have one.
   * </ul>
   */
  public static LinkedHashMap<String, double[]> stocksMinute(
      double[] open, double[] high, double[] low, double[] close, double[] volume, long[] session) {
    return stocksMinute(open, high, low, close, volume, session, Carry.none(MINUTE_CARRY));
  }

  /**
   * As above, continuing from {@code carry.in} and leaving the carry before {@code carry.mark}
   * (only minute_volume_ratio reaches before a session: its window counts bars, which can lie many
   * sessions back for a symbol that trades rarely).
   */
  public static LinkedHashMap<String, double[]> stocksMinute(
      double[] open, double[] high, double[] low, double[] close, double[] volume, long[] session, Carry carry) {
    int n = close.length;
    checkLengths(n, open, high, low, volume);
    if (session.length != n) {
      throw new IllegalArgumentException("session must have the length of close, " + n);
    }
    double[] r1 = new double[n];
    double[] r5 = new double[n];
    double[] momentum = new double[n];
    double[] vwap = new double[n];
    double[] distance = new double[n];
    double[] spread = new double[n];
    double sessionOpen = Double.NaN;
    double flow = 0;
    double shares = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || session[i] != session[i - 1]) {
        sessionOpen = Double.NaN;
        flow = 0;
        shares = 0;
      }
      r1[i] = i >= 1 && session[i - 1] == session[i] ? logRatio(close[i], close[i - 1]) : Double.NaN;
      r5[i] = i >= 5 && session[i - 5] == session[i] ? logRatio(close[i], close[i - 5]) : Double.NaN;
      boolean bar = !Double.isNaN(close[i]);
      if (bar && Double.isNaN(sessionOpen)) {
        sessionOpen = open[i];
      }
      momentum[i] = bar ? ratio(close[i], sessionOpen) : Double.NaN;
      if (bar && !Double.isNaN(volume[i])) {
        flow += (high[i] + low[i] + close[i]) / 3 * volume[i];
        shares += volume[i];
      }
      vwap[i] = bar ? ratio(flow, shares) : Double.NaN;
      distance[i] = ratio(close[i] - vwap[i], vwap[i]);
      spread[i] = ratio(high[i] - low[i], close[i]);
    }
    LinkedHashMap<String, double[]> out = new LinkedHashMap<>();
    out.put("returns_1min", r1);
    out.put("returns_5min", r5);
    out.put("intraday_momentum", momentum);
    out.put("minute_volume_ratio", barVolumeRatio(volume, VOLUME_WINDOW, carry));
    out.put("vwap_intraday", vwap);
    out.put("vwap_distance", distance);
    out.put("spread", spread);
    out.put("volatility_5min", sessionBarStd(r1, close, session, 5));
    return out;
  }

  /**
   * Option features of one contract: {@code sessionEpochDay[i]} is slot i's session date, {@code underlyingClose} the
   * underlying's close on the same slots. returns_1d and volume_ratio follow {@link #stocksDaily}.
   */
  public static LinkedHashMap<String, double[]> options(long[] sessionEpochDay, long expirationEpochDay, double strike,
      double[] close, double[] volume, double[] underlyingClose) {
    int n = close.length;
    checkLengths(n, volume, underlyingClose);
    if (sessionEpochDay.length != n) {
      throw new IllegalArgumentException("sessionEpochDay must have the length of close, " + n);
    }
    double[] days = new double[n];
    double[] money = new double[n];
    for (int i = 0; i < n; i++) {
      days[i] = daysToExpiry(sessionEpochDay[i], expirationEpochDay);
      money[i] = moneyness(strike, underlyingClose[i]);
    }
    LinkedHashMap<String, double[]> out = new LinkedHashMap<>();
    out.put("days_to_expiry", days);
    out.put("moneyness", money);
    out.put("returns_1d", logReturn(close, 1));
    out.put("volume_ratio", volumeRatio(volume, VOLUME_WINDOW));
    return out;
  }

  /** Calendar days from the session to expiration; 0 on the expiration day, negative after it. */
  public static long daysToExpiry(long sessionEpochDay, long expirationEpochDay) {
    return expirationEpochDay - sessionEpochDay;
  }

  /** Strike over the underlying's close (K/S); NaN when the close is missing or 0. */
  public static double moneyness(double strike, double underlyingClose) {
    return ratio(strike, underlyingClose);
  }

  /** Put volume over call volume for one underlying and session; NaN when the call volume is 0 or missing. */
  public static double putCallRatio(double putVolume, double callVolume) {
    return ratio(putVolume, callVolume);
  }

  /** a / b, or NaN where the quotient would be ±inf or undefined (b is 0 or NaN). */
  static double ratio(double a, double b) {
    return b == 0 || Double.isNaN(b) ? Double.NaN : a / b;
  }

  /** ln(a / b), NaN unless both are positive. */
  static double logRatio(double a, double b) {
    return a > 0 && b > 0 ? Math.log(a / b) : Double.NaN;
  }

  static double[] logReturn(double[] close, int k) {
    double[] out = new double[close.length];
    for (int i = 0; i < close.length; i++) {
      out[i] = i >= k ? logRatio(close[i], close[i - k]) : Double.NaN;
    }
    return out;
  }

  private static double[] negate(double[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = -x[i];
    }
    return out;
  }

  /** Mean of the last w slots, NaN unless all w hold a value. */
  static double[] strictMean(double[] x, int w) {
    return strict(x, w, false);
  }

  /** Sample std of the last w slots, NaN unless all w hold a value. */
  static double[] strictStd(double[] x, int w) {
    return strict(x, w, true);
  }

  private static double[] strict(double[] x, int w, boolean std) {
    int n = x.length;
    double[] out = new double[n];
    int run = 0;
    for (int i = 0; i < n; i++) {
      // run = consecutive present values ending here: the window is full exactly when run >= w
      run = Double.isNaN(x[i]) ? 0 : run + 1;
      out[i] = run >= w ? windowStat(x, i - w + 1, i + 1, std) : Double.NaN;
    }
    return out;
  }

  /** Two-pass mean or sample std of x[from, to), all present; w ≤ 20 here, so the rescan is cheap and accurate. */
  private static double windowStat(double[] x, int from, int to, boolean std) {
    int count = to - from;
    double sum = 0;
    for (int j = from; j < to; j++) {
      sum += x[j];
    }
    double mean = sum / count;
    if (!std) {
      return mean;
    }
    if (count < 2) {
      return Double.NaN;
    }
    double ss = 0;
    for (int j = from; j < to; j++) {
      double d = x[j] - mean;
      ss += d * d;
    }
    return Math.sqrt(ss / (count - 1));
  }

  private static double[] volumeRatio(double[] volume, int w) {
    double[] mean = strictMean(volume, w);
    double[] out = new double[volume.length];
    for (int i = 0; i < volume.length; i++) {
      out[i] = ratio(volume[i], mean[i]);
    }
    return out;
  }

  /**
   * Volume over the mean volume of the last w bars (present slots), this one included; NaN at empty
   * slots. The ring holds the volumes themselves and is summed in ring order, so a continuation from
   * a carried ring adds the same numbers in the same order.
   */
  private static double[] barVolumeRatio(double[] volume, int w, Carry carry) {
    int n = volume.length;
    double[] out = new double[n];
    double[] ring = new double[w];
    long seen = (long) carry.get(RING_SEEN, 0);
    for (int j = 0; j < w; j++) {
      ring[j] = carry.get(RING + j, 0);
    }
    for (int i = 0; i < n; i++) {
      if (i == carry.mark) {
        keepRing(carry, seen, ring);
      }
      if (Double.isNaN(volume[i])) {
        out[i] = Double.NaN;
        continue;
      }
      ring[(int) (seen % w)] = volume[i];
      seen++;
      if (seen < w) {
        out[i] = Double.NaN;
        continue;
      }
      double sum = 0;
      for (double v : ring) {
        sum += v;
      }
      out[i] = ratio(volume[i], sum / w);
    }
    if (carry.mark == n) {
      keepRing(carry, seen, ring);
    }
    return out;
  }

  private static void keepRing(Carry carry, long seen, double[] ring) {
    carry.out[RING_SEEN] = seen;
    System.arraycopy(ring, 0, carry.out, RING, ring.length);
  }

  /** Sample std of x over the last w bars of the current session; NaN unless all w bars have a value of x. */
  private static double[] sessionBarStd(double[] x, double[] close, long[] session, int w) {
    int n = x.length;
    double[] out = new double[n];
    double[] window = new double[w];
    for (int i = 0; i < n; i++) {
      out[i] = Double.NaN;
      if (Double.isNaN(close[i])) {
        continue;
      }
      int k = 0;
      for (int j = i; j >= 0 && session[j] == session[i] && k < w; j--) {
        if (!Double.isNaN(close[j])) {
          window[k++] = x[j];
        }
      }
      boolean full = k == w;
      for (int j = 0; j < k && full; j++) {
        full = !Double.isNaN(window[j]);
      }
      if (full) {
        out[i] = windowStat(window, 0, w, true);
      }
    }
    return out;
  }

  /** EMA with α = 2/(w+1) seeded with the mean of the first w inputs; advances per present input, NaN at gaps. */
  static double[] ema(double[] x, int w) {
    return ema(x, w, Carry.none(DAILY_CARRY), EMA12);
  }

  /** {@link #ema} continuing from the carry's (count, value) at {@code at}. */
  private static double[] ema(double[] x, int w, Carry carry, int at) {
    double alpha = 2.0 / (w + 1);
    return seeded(x, w, carry, at, (state, v) -> state + alpha * (v - state));
  }

  /** Wilder smoothing of x: seeded with the mean of the first p present inputs, then (prev·(p−1) + x)/p. */
  private static double[] wilder(double[] x, int p, Carry carry, int at) {
    return seeded(x, p, carry, at, (state, v) -> (state * (p - 1) + v) / p);
  }

  /**
   * A recursion over the present inputs, seeded with the mean of the first w and then advanced by
   * {@code step(state, x)}; NaN at gaps and before the seed. Reads and keeps its (count, value) in
   * the carry at {@code at}.
   */
  private static double[] seeded(double[] x, int w, Carry carry, int at, DoubleBinaryOperator step) {
    int n = x.length;
    double[] out = new double[n];
    Recursion r = new Recursion(carry, at);
    for (int i = 0; i < n; i++) {
      if (i == carry.mark) {
        r.keep(carry, at);
      }
      out[i] = Double.NaN;
      if (Double.isNaN(x[i])) {
        continue;
      }
      r.count++;
      if (r.count < w) {
        r.state += x[i];
      } else if (r.count == w) {
        r.state = (r.state + x[i]) / w;
        out[i] = r.state;
      } else {
        r.state = step.applyAsDouble(r.state, x[i]);
        out[i] = r.state;
      }
    }
    if (carry.mark == n) {
      r.keep(carry, at);
    }
    return out;
  }

  /**
   * Per bar, the close of the previous bar (skipping gap slots, and reaching into the carry's last
   * close); NaN for the first bar and at gap slots. Keeps the last close before the mark in carry[0].
   */
  private static double[] previousBarClose(double[] close, Carry carry) {
    double[] out = new double[close.length];
    double last = carry.get(LAST_CLOSE, Double.NaN);
    for (int i = 0; i < close.length; i++) {
      if (i == carry.mark) {
        carry.out[LAST_CLOSE] = last;
      }
      out[i] = Double.isNaN(close[i]) ? Double.NaN : last;
      if (!Double.isNaN(close[i])) {
        last = close[i];
      }
    }
    if (carry.mark == close.length) {
      carry.out[LAST_CLOSE] = last;
    }
    return out;
  }

  static double[] atr(double[] high, double[] low, double[] close, int p) {
    Carry none = Carry.none(DAILY_CARRY);
    return atr(high, low, previousBarClose(close, none), p, none, ATR);
  }

  private static double[] atr(double[] high, double[] low, double[] prev, int p, Carry carry, int at) {
    double[] tr = new double[prev.length];
    for (int i = 0; i < prev.length; i++) {
      double pc = prev[i];
      tr[i] = Double.isNaN(pc) ? Double.NaN
          : Math.max(high[i] - low[i], Math.max(Math.abs(high[i] - pc), Math.abs(low[i] - pc)));
    }
    return wilder(tr, p, carry, at);
  }

  static double[] rsi(double[] close, int p) {
    Carry none = Carry.none(DAILY_CARRY);
    return rsi(close, previousBarClose(close, none), p, none, RSI_GAIN, RSI_LOSS);
  }

  /** RSI from Wilder-smoothed gains (carry at {@code gainAt}) and losses (at {@code lossAt}). */
  private static double[] rsi(double[] close, double[] prev, int p, Carry carry, int gainAt, int lossAt) {
    int n = close.length;
    double[] gain = new double[n];
    double[] loss = new double[n];
    for (int i = 0; i < n; i++) {
      double change = close[i] - prev[i];
      gain[i] = Double.isNaN(change) ? Double.NaN : Math.max(change, 0);
      loss[i] = Double.isNaN(change) ? Double.NaN : Math.max(-change, 0);
    }
    double[] g = wilder(gain, p, carry, gainAt);
    double[] l = wilder(loss, p, carry, lossAt);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = ratio(100 * g[i], g[i] + l[i]);
    }
    return out;
  }

  private static void checkLengths(int n, double[]... series) {
    for (double[] s : series) {
      if (s.length != n) {
        throw new IllegalArgumentException("all series must have the length of close, " + n + ", one has " + s.length);
      }
    }
  }
}
