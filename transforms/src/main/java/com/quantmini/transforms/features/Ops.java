package com.quantmini.transforms.features;

import com.quantmini.transforms.features.Exact.I128;

/**
 * Qlib's rolling operators over one float32 series, with Qlib's semantics (see the Alpha158 spec, §4 and §5).
 *
 * <p>Contract shared by every method: a window of size {@code w} at row i covers rows max(0, i−w+1)…i (min_periods 1);
 * NaN and ±inf are missing, except in {@link #slope}, {@link #rsquare} and {@link #resi}, where an inf poisons every
 * later row as in Qlib's Cython code; results are doubles, as Qlib's rolling operators return.
 *
 * <p>Max/Min/IdxMax/IdxMin use monotonic deques and Quantile/Rank a sorted window (binary insertion, w ≤ 60 in
 * Alpha158). Sum, Mean, Std, Slope, Rsquare, Resi and Corr come from exact fixed-point sums kept in O(1) per row, which
 * meet double rounding only in their last few operations (conversion, division, square root), so a constant window has
 * exactly zero variance; when a series spans too many binary orders of magnitude for that, the row's window is
 * re-scanned exactly, and only if the window alone is still too wide does the row fall back to two-pass double
 * arithmetic. A window that fits is exact on either exact path, and one
 * that does not fit forces the fallback for any series containing it, so every value depends on its window alone.
 */
public final class Ops {
  private static final int SUM = 0;
  private static final int MEAN = 1;
  private static final int STD = 2;
  private static final int SLOPE = 0;
  private static final int RSQUARE = 1;
  private static final int RESI = 2;
  /** Qlib's absolute tolerance for a zero standard deviation in Rsquare and Corr ({@code np.isclose(std, 0, atol=2e-5)}). */
  static final double STD_ZERO_TOLERANCE = 2e-5;

  private Ops() {}

  /** {@code Ref(x, k)}: the value k slots earlier (later for k &lt; 0); NaN where that slot does not exist. */
  public static float[] ref(float[] x, int k) {
    int n = x.length;
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      int j = i - k;
      out[i] = j >= 0 && j < n ? x[j] : Float.NaN;
    }
    return out;
  }

  /** {@code Sum(x, w)}: sum of the present values; NaN when there are none. */
  public static double[] sum(float[] x, int w) {
    return moment(x, w, SUM);
  }

  /** {@code Mean(x, w)}: mean of the present values; NaN when there are none. */
  public static double[] mean(float[] x, int w) {
    return moment(x, w, MEAN);
  }

  /** {@code Std(x, w)}: sample standard deviation (ddof 1) of the present values; NaN below 2 values. */
  public static double[] std(float[] x, int w) {
    return moment(x, w, STD);
  }

  /** {@code Max(x, w)} over the present values; NaN when there are none. */
  public static double[] max(float[] x, int w) {
    return extreme(x, w, true);
  }

  /** {@code Min(x, w)} over the present values; NaN when there are none. */
  public static double[] min(float[] x, int w) {
    return extreme(x, w, false);
  }

  /** {@code IdxMax(x, w)}: 1-based position of the first maximum, or of the first missing slot if any (NumPy argmax). */
  public static double[] idxMax(float[] x, int w) {
    return argExtreme(x, w, true);
  }

  /** {@code IdxMin(x, w)}: 1-based position of the first minimum, or of the first missing slot if any (NumPy argmin). */
  public static double[] idxMin(float[] x, int w) {
    return argExtreme(x, w, false);
  }

  /** {@code Quantile(x, w, q)}: linearly interpolated quantile of the present values; NaN when there are none. */
  public static double[] quantile(float[] x, int w, double q) {
    return sortedWindow(x, w, q, false);
  }

  /** {@code Rank(x, w)}: average-tie percentile rank of the current value among the present values; NaN if it is missing. */
  public static double[] rank(float[] x, int w) {
    return sortedWindow(x, w, 0, true);
  }

  /** {@code Slope(x, w)}: OLS slope against fixed positions 1…w (the current row at w); NaN below 2 points. */
  public static double[] slope(float[] x, int w) {
    return regression(x, w, SLOPE);
  }

  /**
   * {@code Rsquare(x, w)}: squared correlation of values and positions; NaN below 2 points, for a constant window and
   * wherever {@code Std(x, w)} ≤ 2e-5.
   */
  public static double[] rsquare(float[] x, int w) {
    double[] out = regression(x, w, RSQUARE);
    maskZeroStd(out, std(x, w));
    return out;
  }

  /** {@code Resi(x, w)}: the current value minus the fitted line at position w; NaN if it is missing or below 2 points. */
  public static double[] resi(float[] x, int w) {
    return regression(x, w, RESI);
  }

  /**
   * {@code Corr(a, b, w)}: Pearson correlation over the pairwise present slots; NaN below 2 pairs and wherever
   * {@code Std(a, w)} or {@code Std(b, w)}, each over its own present values, is ≤ 2e-5.
   */
  public static double[] corr(float[] a, float[] b, int w) {
    return corr(a, b, w, std(a, w), std(b, w));
  }

  /** Sets out[i] to NaN wherever std[i] is within Qlib's 2e-5 of zero. */
  static void maskZeroStd(double[] out, double[] std) {
    for (int i = 0; i < out.length; i++) {
      if (std[i] <= STD_ZERO_TOLERANCE) {
        out[i] = Double.NaN;
      }
    }
  }

  /** {@link #corr(float[], float[], int)} with the two masking standard deviations already computed. */
  static double[] corr(float[] a, float[] b, int w, double[] stdA, double[] stdB) {
    checkWindow(w);
    int n = a.length;
    if (b.length != n) {
      throw new IllegalArgumentException("series lengths differ: " + n + " vs " + b.length);
    }
    float[] pa = new float[n];
    float[] pb = new float[n];
    for (int i = 0; i < n; i++) {
      boolean pair = Exact.present(a[i]) && Exact.present(b[i]);
      pa[i] = pair ? a[i] : Float.NaN;
      pb[i] = pair ? b[i] : Float.NaN;
    }
    double[] out = new double[n];
    CorrSums acc = new CorrSums();
    int maxBits = Exact.maxBits(w);
    long scA = Exact.scale(pa, 0, n);
    long scB = Exact.scale(pb, 0, n);
    if (Exact.bits(scA) <= maxBits && Exact.bits(scB) <= maxBits) {
      int loA = Exact.lo(scA);
      int loB = Exact.lo(scB);
      for (int i = 0; i < n; i++) {
        if (Exact.present(pa[i])) {
          acc.add(Exact.scaled(pa[i], loA), Exact.scaled(pb[i], loB), 1);
        }
        if (i >= w && Exact.present(pa[i - w])) {
          acc.add(Exact.scaled(pa[i - w], loA), Exact.scaled(pb[i - w], loB), -1);
        }
        out[i] = acc.corr();
      }
    } else {
      for (int i = 0; i < n; i++) {
        int s = Math.max(0, i - w + 1);
        long wa = Exact.scale(pa, s, i + 1);
        long wb = Exact.scale(pb, s, i + 1);
        if (Exact.bits(wa) <= maxBits && Exact.bits(wb) <= maxBits) {
          acc.clear();
          for (int j = s; j <= i; j++) {
            if (Exact.present(pa[j])) {
              acc.add(Exact.scaled(pa[j], Exact.lo(wa)), Exact.scaled(pb[j], Exact.lo(wb)), 1);
            }
          }
          out[i] = acc.corr();
        } else {
          out[i] = corrTwoPass(pa, pb, s, i + 1);
        }
      }
    }
    maskZeroStd(out, stdA);
    maskZeroStd(out, stdB);
    return out;
  }

  /** 2^e as a double; exact for the exponents fixed-point scales produce (float32 values give e ≥ −298). */
  private static double pow2(int e) {
    return Math.scalb(1.0, e);
  }

  private static void checkWindow(int w) {
    if (w < 1) {
      throw new IllegalArgumentException("window must be >= 1, was " + w);
    }
  }

  /** Exact Σa, Σa² and count of fixed-point values. */
  private static final class MomentSums {
    int count;
    long s1;
    final I128 s2 = new I128();
    final I128 tmp = new I128();

    void clear() {
      count = 0;
      s1 = 0;
      s2.clear();
    }

    boolean squares = true;

    void add(long a, int sign) {
      count += sign;
      s1 += sign * a;
      if (!squares) {
        return;
      } else if (sign > 0) {
        s2.addProduct(a, a);
      } else {
        s2.subProduct(a, a);
      }
    }

    double finish(int kind, int lo) {
      if (count == 0) {
        return Double.NaN;
      }
      if (kind == SUM) {
        return s1 * pow2(lo);
      }
      if (kind == MEAN) {
        return s1 * pow2(lo) / count;
      }
      if (count < 2) {
        return Double.NaN;
      }
      tmp.set(s2);
      tmp.multiply(count);
      tmp.subProduct(s1, s1);
      double var = tmp.toDouble() / ((double) count * (count - 1)) * pow2(2 * lo);
      return Math.sqrt(var);
    }
  }

  private static double[] moment(float[] x, int w, int kind) {
    double[] out = new double[x.length];
    moments(x, w, kind == SUM ? out : null, kind == MEAN ? out : null, kind == STD ? out : null);
    return out;
  }

  /** Fills whichever of sum, mean and std is non-null in one pass over x. */
  static void moments(float[] x, int w, double[] sum, double[] mean, double[] std) {
    checkWindow(w);
    int n = x.length;
    MomentSums acc = new MomentSums();
    acc.squares = std != null;
    int maxBits = Exact.maxBits(w);
    long sc = Exact.scale(x, 0, n);
    boolean running = Exact.bits(sc) <= maxBits;
    int lo = Exact.lo(sc);
    for (int i = 0; i < n; i++) {
      int s = Math.max(0, i - w + 1);
      if (running) {
        if (Exact.present(x[i])) {
          acc.add(Exact.scaled(x[i], lo), 1);
        }
        if (i >= w && Exact.present(x[i - w])) {
          acc.add(Exact.scaled(x[i - w], lo), -1);
        }
      } else {
        long wsc = Exact.scale(x, s, i + 1);
        if (Exact.bits(wsc) > maxBits) {
          putIfWanted(sum, i, momentTwoPass(x, s, i + 1, SUM));
          putIfWanted(mean, i, momentTwoPass(x, s, i + 1, MEAN));
          putIfWanted(std, i, momentTwoPass(x, s, i + 1, STD));
          continue;
        }
        lo = Exact.lo(wsc);
        acc.clear();
        for (int j = s; j <= i; j++) {
          if (Exact.present(x[j])) {
            acc.add(Exact.scaled(x[j], lo), 1);
          }
        }
      }
      putIfWanted(sum, i, sum == null ? 0 : acc.finish(SUM, lo));
      putIfWanted(mean, i, mean == null ? 0 : acc.finish(MEAN, lo));
      putIfWanted(std, i, std == null ? 0 : acc.finish(STD, lo));
    }
  }

  private static void putIfWanted(double[] out, int i, double value) {
    if (out != null) {
      out[i] = value;
    }
  }

  private static double momentTwoPass(float[] x, int from, int to, int kind) {
    int count = 0;
    double sum = 0;
    for (int j = from; j < to; j++) {
      if (Exact.present(x[j])) {
        count++;
        sum += x[j];
      }
    }
    if (count == 0) {
      return Double.NaN;
    }
    if (kind == SUM) {
      return sum;
    }
    double mean = sum / count;
    if (kind == MEAN) {
      return mean;
    }
    if (count < 2) {
      return Double.NaN;
    }
    double ss = 0;
    for (int j = from; j < to; j++) {
      if (Exact.present(x[j])) {
        double d = x[j] - mean;
        ss += d * d;
      }
    }
    return Math.sqrt(ss / (count - 1));
  }

  private static double[] extreme(float[] x, int w, boolean max) {
    checkWindow(w);
    int n = x.length;
    double[] out = new double[n];
    int[] deque = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      float v = x[i];
      if (Exact.present(v)) {
        while (tail > head && (max ? x[deque[tail - 1]] <= v : x[deque[tail - 1]] >= v)) {
          tail--;
        }
        deque[tail++] = i;
      }
      while (tail > head && deque[head] <= i - w) {
        head++;
      }
      out[i] = tail > head ? x[deque[head]] : Double.NaN;
    }
    return out;
  }

  private static double[] argExtreme(float[] x, int w, boolean max) {
    checkWindow(w);
    int n = x.length;
    double[] out = new double[n];
    int[] deque = new int[n];
    // nextMissing[j]: first missing slot at or after j; presentBefore[j]: present slots before j
    int[] nextMissing = new int[n + 1];
    int[] presentBefore = new int[n + 1];
    nextMissing[n] = n;
    for (int j = n - 1; j >= 0; j--) {
      nextMissing[j] = Exact.present(x[j]) ? nextMissing[j + 1] : j;
    }
    for (int j = 0; j < n; j++) {
      presentBefore[j + 1] = presentBefore[j] + (Exact.present(x[j]) ? 1 : 0);
    }
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      float v = x[i];
      if (Exact.present(v)) {
        // strict comparison keeps the earliest of equal values in front: ties go to the earliest position
        while (tail > head && (max ? x[deque[tail - 1]] < v : x[deque[tail - 1]] > v)) {
          tail--;
        }
        deque[tail++] = i;
      }
      int s = Math.max(0, i - w + 1);
      while (tail > head && deque[head] < s) {
        head++;
      }
      if (presentBefore[i + 1] == presentBefore[s]) {
        out[i] = Double.NaN;
      } else if (nextMissing[s] <= i) {
        out[i] = nextMissing[s] - s + 1;
      } else {
        out[i] = deque[head] - s + 1;
      }
    }
    return out;
  }

  private static double[] sortedWindow(float[] x, int w, double q, boolean rank) {
    double[] out = new double[x.length];
    sortedWindow(x, w, rank ? 0 : q, rank ? null : out, 0, null, rank ? out : null);
    return out;
  }

  /** Fills whichever of the two quantiles and the rank is non-null from one sorted window of the present values. */
  static void sortedWindow(float[] x, int w, double q1, double[] quantile1, double q2, double[] quantile2,
      double[] rank) {
    checkWindow(w);
    int n = x.length;
    double[] sorted = new double[Math.min(w, Math.max(n, 1))];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (i >= w && Exact.present(x[i - w])) {
        int at = lowerBound(sorted, k, x[i - w]);
        System.arraycopy(sorted, at + 1, sorted, at, k - at - 1);
        k--;
      }
      float v = x[i];
      if (Exact.present(v)) {
        int at = upperBound(sorted, k, v);
        System.arraycopy(sorted, at, sorted, at + 1, k - at);
        sorted[at] = v;
        k++;
      }
      putIfWanted(quantile1, i, quantile1 == null ? 0 : quantile(sorted, k, q1));
      putIfWanted(quantile2, i, quantile2 == null ? 0 : quantile(sorted, k, q2));
      if (rank != null) {
        if (k == 0 || !Exact.present(v)) {
          rank[i] = Double.NaN;
        } else {
          int less = lowerBound(sorted, k, v);
          int equal = upperBound(sorted, k, v) - less;
          rank[i] = (less + (equal + 1) / 2.0) / k;
        }
      }
    }
  }

  /** pandas' linear interpolation between the order statistics around q·(k−1). */
  private static double quantile(double[] sorted, int k, double q) {
    if (k == 0) {
      return Double.NaN;
    }
    double p = q * (k - 1);
    int f = (int) p;
    return p == f ? sorted[f] : sorted[f] + (sorted[f + 1] - sorted[f]) * (p - f);
  }

  private static int lowerBound(double[] a, int k, double v) {
    int lo = 0;
    int hi = k;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int upperBound(double[] a, int k, double v) {
    int lo = 0;
    int hi = k;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Exact sums over (position, value) points: positions t are small integers, values fixed-point. */
  private static final class RegressionSums {
    int count;
    long st;
    long st2;
    long sa;
    long sta;
    final I128 saa = new I128();
    final I128 num = new I128();
    final I128 var = new I128();

    void clear() {
      count = 0;
      st = 0;
      st2 = 0;
      sa = 0;
      sta = 0;
      saa.clear();
    }

    void add(long t, long a) {
      count++;
      st += t;
      st2 += t * t;
      sa += a;
      sta += t * a;
      saa.addProduct(a, a);
    }

    /** Moves every point one position back; the point that reaches position 0 must then be dropped. */
    void shift() {
      sta -= sa;
      st2 += count - 2 * st;
      st -= count;
    }

    void dropAtZero(long a) {
      count--;
      sa -= a;
      saa.subProduct(a, a);
    }

    double slope;
    double rsquare;
    double resi;

    void finish(int lo, float now, int w) {
      num.set(sta);
      num.multiply(count);
      num.subProduct(st, sa);
      long den = count * st2 - st * st;
      double numD = num.toDouble();
      var.set(saa);
      var.multiply(count);
      var.subProduct(sa, sa);
      // fixed-point scales cancel between numerator and denominator
      rsquare = numD * numD / ((double) den * var.toDouble());
      slope = Math.scalb(numD / den, lo);
      resi = Ops.resi(now, slope, Math.scalb((double) sa, lo) / count, (double) st / count, w);
    }
  }

  /** Qlib's evaluation order: a = ȳ − b·t̄, then x_now − (a + b·w). */
  private static double resi(float now, double slope, double yMean, double tMean, int w) {
    if (!Exact.present(now)) {
      return Double.NaN;
    }
    double intercept = yMean - slope * tMean;
    return now - (intercept + slope * w);
  }

  private static double[] regression(float[] x, int w, int kind) {
    double[] out = new double[x.length];
    regression(x, w, kind == SLOPE ? out : null, kind == RSQUARE ? out : null, kind == RESI ? out : null);
    return out;
  }

  /** Fills whichever of slope, rsquare (before its std mask) and resi is non-null in one pass over x. */
  static void regression(float[] x, int w, double[] slope, double[] rsquare, double[] resi) {
    checkWindow(w);
    int n = x.length;
    int poisonedFrom = n;
    for (int i = 0; i < n; i++) {
      if (Float.isInfinite(x[i])) {
        poisonedFrom = i;
        break;
      }
    }
    RegressionSums acc = new RegressionSums();
    int maxBits = Exact.maxBits(w);
    long sc = Exact.scale(x, 0, poisonedFrom);
    boolean running = Exact.bits(sc) <= maxBits;
    int lo = Exact.lo(sc);
    for (int i = 0; i < poisonedFrom; i++) {
      int s = Math.max(0, i - w + 1);
      if (running) {
        acc.shift();
        if (i >= w && Exact.present(x[i - w])) {
          acc.dropAtZero(Exact.scaled(x[i - w], lo));
        }
        if (Exact.present(x[i])) {
          acc.add(w, Exact.scaled(x[i], lo));
        }
      } else {
        long wsc = Exact.scale(x, s, i + 1);
        if (Exact.bits(wsc) > maxBits) {
          putIfWanted(slope, i, regressionTwoPass(x, s, i, w, SLOPE));
          putIfWanted(rsquare, i, regressionTwoPass(x, s, i, w, RSQUARE));
          putIfWanted(resi, i, regressionTwoPass(x, s, i, w, RESI));
          continue;
        }
        lo = Exact.lo(wsc);
        acc.clear();
        for (int j = s; j <= i; j++) {
          if (Exact.present(x[j])) {
            acc.add(w - (i - j), Exact.scaled(x[j], lo));
          }
        }
      }
      acc.finish(lo, x[i], w);
      putIfWanted(slope, i, acc.slope);
      putIfWanted(rsquare, i, acc.rsquare);
      putIfWanted(resi, i, acc.resi);
    }
    for (int i = poisonedFrom; i < n; i++) {
      putIfWanted(slope, i, Double.NaN);
      putIfWanted(rsquare, i, Double.NaN);
      putIfWanted(resi, i, Double.NaN);
    }
  }

  private static double regressionTwoPass(float[] x, int from, int now, int w, int kind) {
    int count = 0;
    double sumT = 0;
    double sumY = 0;
    for (int j = from; j <= now; j++) {
      if (Exact.present(x[j])) {
        count++;
        sumT += w - (now - j);
        sumY += x[j];
      }
    }
    if (count < 2) {
      return Double.NaN;
    }
    double tMean = sumT / count;
    double yMean = sumY / count;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int j = from; j <= now; j++) {
      if (Exact.present(x[j])) {
        double dt = w - (now - j) - tMean;
        double dy = x[j] - yMean;
        sxy += dt * dy;
        sxx += dt * dt;
        syy += dy * dy;
      }
    }
    if (kind == RSQUARE) {
      return sxy * sxy / (sxx * syy);
    }
    double slope = sxy / sxx;
    return kind == SLOPE ? slope : resi(x[now], slope, yMean, tMean, w);
  }

  /** Exact pairwise sums for a correlation. */
  private static final class CorrSums {
    int count;
    long sa;
    long sb;
    final I128 saa = new I128();
    final I128 sbb = new I128();
    final I128 sab = new I128();
    final I128 tmp = new I128();

    void clear() {
      count = 0;
      sa = 0;
      sb = 0;
      saa.clear();
      sbb.clear();
      sab.clear();
    }

    void add(long a, long b, int sign) {
      count += sign;
      sa += sign * a;
      sb += sign * b;
      if (sign > 0) {
        saa.addProduct(a, a);
        sbb.addProduct(b, b);
        sab.addProduct(a, b);
      } else {
        saa.subProduct(a, a);
        sbb.subProduct(b, b);
        sab.subProduct(a, b);
      }
    }

    double corr() {
      if (count < 2) {
        return Double.NaN;
      }
      // scales cancel: the numerator carries 2^(loA+loB), the square root of the denominator the same
      double num = centered(sab, sa, sb);
      double va = centered(saa, sa, sa);
      double vb = centered(sbb, sb, sb);
      return num / Math.sqrt(va * vb);
    }

    private double centered(I128 cross, long s1, long s2) {
      tmp.set(cross);
      tmp.multiply(count);
      tmp.subProduct(s1, s2);
      return tmp.toDouble();
    }
  }

  private static double corrTwoPass(float[] a, float[] b, int from, int to) {
    int count = 0;
    double sumA = 0;
    double sumB = 0;
    for (int j = from; j < to; j++) {
      if (Exact.present(a[j])) {
        count++;
        sumA += a[j];
        sumB += b[j];
      }
    }
    if (count < 2) {
      return Double.NaN;
    }
    double meanA = sumA / count;
    double meanB = sumB / count;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int j = from; j < to; j++) {
      if (Exact.present(a[j])) {
        double da = a[j] - meanA;
        double db = b[j] - meanB;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
      }
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
