package com.quantmini.transforms.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Qlib's Alpha158 feature set for one instrument, reproducing {@code D.features} after its float32 cast.
 *
 * <p>Input: one symbol's bars on consecutive calendar slots starting at its first bar, NaN where a slot has no bar; do
 * not pad before the listing, which would change CNTx and IMAX/IMIN/IMXD. Output: {@code float[158][n]}, row f is
 * feature {@code NAMES.get(f)}, NaN and ±inf where Qlib gives them. Element-wise arithmetic is float32, rolling
 * statistics are double, and the result is rounded to float32 once, as in Qlib.
 *
 * <p>{@code Log} is the correctly rounded float32 logarithm {@code (float) Math.log(x)}. Qlib's own float32 Log is
 * NumPy's, which on AVX2/AVX-512 CPUs is a SIMD approximation one ulp above the correctly rounded value for about 8 % of
 * inputs, so CORRn and CORDn can differ from a given Qlib installation by rounding (Qlib differs from itself across
 * CPUs in the same way). Rolling statistics are exact rounded to double, where Qlib's running sums carry noise: a few
 * STD, VSTD, WVMA, RSQR, CORR and CORD values can differ by an ulp or so.
 */
public final class Alpha158 {
  private static final int[] WINDOWS = {5, 10, 20, 30, 60};
  private static final String[] KBAR = {"KMID", "KLEN", "KMID2", "KUP", "KUP2", "KLOW", "KLOW2", "KSFT", "KSFT2"};
  private static final String[] PRICE = {"OPEN0", "HIGH0", "LOW0", "VWAP0"};
  private static final String[] ROLLING = {
    "ROC", "MA", "STD", "BETA", "RSQR", "RESI", "MAX", "MIN", "QTLU", "QTLD", "RANK", "RSV", "IMAX", "IMIN", "IMXD",
    "CORR", "CORD", "CNTP", "CNTN", "CNTD", "SUMP", "SUMN", "SUMD", "VMA", "VSTD", "WVMA", "VSUMP", "VSUMN", "VSUMD"
  };
  /** Float32 literal, as Qlib adds 1e-12 to float32 series. */
  private static final float EPS_F = 1e-12f;
  /** Double literal, as Qlib adds 1e-12 to rolling (double) results. */
  private static final double EPS_D = 1e-12;

  /**
   * Rolling operators whose inputs look one slot further back ({@code Ref($close, 1)}, or ROC's
   * {@code Ref($close, d)}): a d-slot value of theirs needs d + 1 slots.
   */
  private static final Set<String> ONE_MORE = Set.of("ROC", "CORD", "CNTP", "CNTN", "CNTD", "SUMP", "SUMN", "SUMD",
      "WVMA", "VSUMP", "VSUMN", "VSUMD");

  /** The 158 features in Qlib's order, KMID…VSUMD60, as {@link #compute} fills its rows. */
  public static final List<FeatureRegistry.Feature> FEATURES = buildFeatures();
  /** Their names. */
  public static final List<String> NAMES = FEATURES.stream().map(FeatureRegistry.Feature::name).toList();

  private Alpha158() {}

  private static List<FeatureRegistry.Feature> buildFeatures() {
    List<FeatureRegistry.Feature> out = new ArrayList<>(158);
    for (String name : KBAR) {
      out.add(feature(name, 1));
    }
    for (String name : PRICE) {
      out.add(feature(name, 1));
    }
    for (String family : ROLLING) {
      for (int w : WINDOWS) {
        out.add(feature(family + w, ONE_MORE.contains(family) ? w + 1 : w));
      }
    }
    return List.copyOf(out);
  }

  private static FeatureRegistry.Feature feature(String name, int window) {
    return new FeatureRegistry.Feature(FeatureRegistry.ALPHA158, name, FeatureRegistry.Type.FLOAT, window);
  }

  /**
   * Slots of history, the current one included, that a value needs to equal a full-history computation: 61, for
   * ROC60 ({@code Ref($close, 60)}) and CORD60 (a 60-slot window over {@code Ref($close, 1)}).
   *
   * <p>Every rolling value is a function of its window's values alone, whichever summation path {@link Ops} took, so
   * the equality is bit-exact. Caveat: BETA, RSQR and RESI follow Qlib's Cython operators, in which one ±inf close
   * poisons every later row of the series, so a truncated history that drops that inf gives finite values where the
   * full history gives NaN.
   */
  public static int lookback() {
    return FEATURES.stream().mapToInt(FeatureRegistry.Feature::window).max().orElseThrow();
  }

  /**
   * Computes all 158 features of one series.
   *
   * @param vwap may be null, in which case VWAP0 is NaN (Qlib without a vwap file)
   * @return {@code float[158][n]}, row f = {@code NAMES.get(f)}
   */
  public static float[][] compute(float[] open, float[] high, float[] low, float[] close, float[] volume, float[] vwap) {
    return compute(open, high, low, close, volume, vwap, 0);
  }

  /**
   * As {@link #compute(float[], float[], float[], float[], float[], float[])}, the rolling features
   * from row {@code from} on only (NaN before it): each window's operators run over the slots from
   * one window (and the change before it) ahead of {@code from}, which gives the same values bit
   * for bit, as every value depends on its window alone and the rolling sums are exact. A daily
   * update needs one row per symbol: the 5-slot window then costs 7 slots instead of the 61-slot
   * look-back.
   */
  public static float[][] compute(float[] open, float[] high, float[] low, float[] close, float[] volume, float[] vwap,
      int from) {
    int n = close.length;
    if (open.length != n || high.length != n || low.length != n || volume.length != n
        || (vwap != null && vwap.length != n)) {
      throw new IllegalArgumentException("all series must have the length of close, " + n);
    }
    float[][] out = new float[NAMES.size()][n];
    kbarAndPrice(open, high, low, close, vwap, out);

    float[] closePrev = Ops.ref(close, 1);
    float[] volumePrev = Ops.ref(volume, 1);
    float[] logVolume = new float[n];
    float[] closeRatio = new float[n];
    float[] logVolumeRatio = new float[n];
    float[] up = new float[n];
    float[] down = new float[n];
    float[] closeGain = new float[n];
    float[] closeLoss = new float[n];
    float[] closeMove = new float[n];
    float[] weightedMove = new float[n];
    float[] volumeGain = new float[n];
    float[] volumeLoss = new float[n];
    float[] volumeMove = new float[n];
    for (int i = 0; i < n; i++) {
      float c = close[i];
      float cp = closePrev[i];
      float v = volume[i];
      float vp = volumePrev[i];
      logVolume[i] = log(v + 1f);
      closeRatio[i] = c / cp;
      logVolumeRatio[i] = log(v / vp + 1f);
      // comparisons with NaN are false, so they count as 0 in the rolling mean
      up[i] = c > cp ? 1f : 0f;
      down[i] = c < cp ? 1f : 0f;
      closeGain[i] = greater(c - cp, 0f);
      closeLoss[i] = greater(cp - c, 0f);
      closeMove[i] = Math.abs(c - cp);
      weightedMove[i] = Math.abs(c / cp - 1f) * v;
      volumeGain[i] = greater(v - vp, 0f);
      volumeLoss[i] = greater(vp - v, 0f);
      volumeMove[i] = Math.abs(v - vp);
    }

    int f = KBAR.length + PRICE.length;
    int nw = WINDOWS.length;
    int first = Math.max(0, Math.min(from, n));
    for (int r = f; r < out.length; r++) {
      Arrays.fill(out[r], 0, first, Float.NaN);
    }
    float[][] all = {close, high, low, volume, logVolume, closeRatio, logVolumeRatio, up, down, closeGain, closeLoss,
        closeMove, weightedMove, volumeGain, volumeLoss, volumeMove};
    double[][] scratch = new double[12][n]; // per-window scratch of a whole series, reused across windows
    for (int k = 0; k < nw; k++) {
      int d = WINDOWS[k];
      // Rows [at, n) of every input: the window before row `first` and the change into it.
      int at = Math.max(0, first - d - 1);
      float[][] in = all;
      if (at > 0) {
        in = new float[all.length][];
        for (int x = 0; x < all.length; x++) {
          in[x] = Arrays.copyOfRange(all[x], at, n);
        }
      }
      window(in, d, k, nw, f, first - at, at, out, scratch);
    }
    return out;
  }

  /**
   * The rolling features of window {@code d} (index {@code k} of {@link #WINDOWS}) over inputs that
   * start at row {@code at} of the series, written to {@code out} from input row {@code from} on;
   * {@code scratch} is used when the inputs are the whole series.
   */
  private static void window(float[][] in, int d, int k, int nw, int f, int from, int at, float[][] out,
      double[][] scratch) {
    float[] close = in[0];
    float[] high = in[1];
    float[] low = in[2];
    float[] volume = in[3];
    float[] logVolume = in[4];
    float[] closeRatio = in[5];
    float[] logVolumeRatio = in[6];
    float[] up = in[7];
    float[] down = in[8];
    float[] closeGain = in[9];
    float[] closeLoss = in[10];
    float[] closeMove = in[11];
    float[] weightedMove = in[12];
    float[] volumeGain = in[13];
    float[] volumeLoss = in[14];
    float[] volumeMove = in[15];
    int n = close.length;
    if (scratch[0].length != n) { // a suffix: its own, shorter scratch
      scratch = new double[scratch.length][n];
    }
    double[] ma = scratch[0];
    double[] std = scratch[1];
    double[] beta = scratch[2];
    double[] rsqr = scratch[3];
    double[] resi = scratch[4];
    double[] vma = scratch[5];
    double[] vstd = scratch[6];
    double[] wmean = scratch[7];
    double[] wstd = scratch[8];
    double[] qtlu = scratch[9];
    double[] qtld = scratch[10];
    double[] rank = scratch[11];
    float[] roc = Ops.ref(close, d);
    Ops.moments(close, d, null, ma, std);
    Ops.regression(close, d, beta, rsqr, resi);
    Ops.maskZeroStd(rsqr, std);
    double[] max = Ops.max(high, d);
    double[] min = Ops.min(low, d);
    Ops.sortedWindow(close, d, 0.8, qtlu, 0.2, qtld, rank);
    double[] imax = Ops.idxMax(high, d);
    double[] imin = Ops.idxMin(low, d);
    double[] corr = Ops.corr(close, logVolume, d, std, Ops.std(logVolume, d));
    double[] cord = Ops.corr(closeRatio, logVolumeRatio, d, Ops.std(closeRatio, d), Ops.std(logVolumeRatio, d));
    double[] cntp = Ops.mean(up, d);
    double[] cntn = Ops.mean(down, d);
    double[] gain = Ops.sum(closeGain, d);
    double[] loss = Ops.sum(closeLoss, d);
    double[] move = Ops.sum(closeMove, d);
    Ops.moments(volume, d, null, vma, vstd);
    Ops.moments(weightedMove, d, null, wmean, wstd);
    double[] vgain = Ops.sum(volumeGain, d);
    double[] vloss = Ops.sum(volumeLoss, d);
    double[] vmove = Ops.sum(volumeMove, d);
    for (int i = from; i < n; i++) {
      float c = close[i];
      float vEps = volume[i] + EPS_F;
      double moveEps = move[i] + EPS_D;
      double vmoveEps = vmove[i] + EPS_D;
      int r = f + k;
      int o = at + i;
      out[r][o] = roc[i] / c;
      out[r += nw][o] = (float) (ma[i] / c);
      out[r += nw][o] = (float) (std[i] / c);
      out[r += nw][o] = (float) (beta[i] / c);
      out[r += nw][o] = (float) rsqr[i];
      out[r += nw][o] = (float) (resi[i] / c);
      out[r += nw][o] = (float) (max[i] / c);
      out[r += nw][o] = (float) (min[i] / c);
      out[r += nw][o] = (float) (qtlu[i] / c);
      out[r += nw][o] = (float) (qtld[i] / c);
      out[r += nw][o] = (float) rank[i];
      out[r += nw][o] = (float) ((c - min[i]) / (max[i] - min[i] + EPS_D));
      out[r += nw][o] = (float) (imax[i] / d);
      out[r += nw][o] = (float) (imin[i] / d);
      out[r += nw][o] = (float) ((imax[i] - imin[i]) / d);
      out[r += nw][o] = (float) corr[i];
      out[r += nw][o] = (float) cord[i];
      out[r += nw][o] = (float) cntp[i];
      out[r += nw][o] = (float) cntn[i];
      out[r += nw][o] = (float) (cntp[i] - cntn[i]);
      out[r += nw][o] = (float) (gain[i] / moveEps);
      out[r += nw][o] = (float) (loss[i] / moveEps);
      out[r += nw][o] = (float) ((gain[i] - loss[i]) / moveEps);
      out[r += nw][o] = (float) (vma[i] / vEps);
      out[r += nw][o] = (float) (vstd[i] / vEps);
      out[r += nw][o] = (float) (wstd[i] / (wmean[i] + EPS_D));
      out[r += nw][o] = (float) (vgain[i] / vmoveEps);
      out[r += nw][o] = (float) (vloss[i] / vmoveEps);
      out[r += nw][o] = (float) ((vgain[i] - vloss[i]) / vmoveEps);
    }
  }

  private static void kbarAndPrice(
      float[] open, float[] high, float[] low, float[] close, float[] vwap, float[][] out) {
    for (int i = 0; i < close.length; i++) {
      float o = open[i];
      float h = high[i];
      float l = low[i];
      float c = close[i];
      float range = h - l + EPS_F;
      float top = greater(o, c);
      float bottom = less(o, c);
      float shift = 2f * c - h - l;
      out[0][i] = (c - o) / o;
      out[1][i] = (h - l) / o;
      out[2][i] = (c - o) / range;
      out[3][i] = (h - top) / o;
      out[4][i] = (h - top) / range;
      out[5][i] = (bottom - l) / o;
      out[6][i] = (bottom - l) / range;
      out[7][i] = shift / o;
      out[8][i] = shift / range;
      out[9][i] = o / c;
      out[10][i] = h / c;
      out[11][i] = l / c;
      out[12][i] = vwap == null ? Float.NaN : vwap[i] / c;
    }
  }

  /** Qlib's {@code Greater}: element-wise maximum, NaN if either side is NaN. */
  static float greater(float a, float b) {
    return Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.max(a, b);
  }

  /** Qlib's {@code Less}: element-wise minimum, NaN if either side is NaN. */
  static float less(float a, float b) {
    return Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.min(a, b);
  }

  /** Correctly rounded float32 natural logarithm: log(0) = −inf, log(x &lt; 0) = NaN. */
  static float log(float x) {
    return (float) Math.log(x);
  }
}
