package com.quantmini.transforms.features;

/**
 * Exact integer arithmetic for rolling sums of float32 values.
 *
 * <p>Every finite float32 is an integer times a power of two, so a window's sums can be kept exactly as fixed-point
 * integers and rounded to double once at the end. That makes running add/remove sums drift-free (a constant window
 * has a variance of exactly 0) and makes each result a pure function of the window's values, whichever path computed
 * it.
 */
final class Exact {
  private Exact() {}

  /** Exponent of the lowest set bit of a finite nonzero float: {@code v} is an odd integer times 2^result. */
  static int lowBit(float v) {
    int bits = Float.floatToRawIntBits(v);
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0) {
      return -149 + Integer.numberOfTrailingZeros(mant);
    }
    return exp - 150 + Integer.numberOfTrailingZeros(mant | 0x800000);
  }

  /** Smallest e with |v| < 2^e, for a finite nonzero float. */
  static int highBit(float v) {
    return Math.getExponent(v) + 1;
  }

  static boolean present(float v) {
    return !Float.isNaN(v) && !Float.isInfinite(v);
  }

  /**
   * Fixed-point scale of the present values in {@code x[from, to)}: returns {@code lo << 32 | bits}, where every value
   * is an integer multiple of 2^lo below 2^(lo+bits) in magnitude. Zero bits when no value is nonzero.
   */
  static long scale(float[] x, int from, int to) {
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int i = from; i < to; i++) {
      float v = x[i];
      if (v != 0f && present(v)) {
        lo = Math.min(lo, lowBit(v));
        hi = Math.max(hi, highBit(v));
      }
    }
    if (lo == Integer.MAX_VALUE) {
      return 0L;
    }
    return ((long) lo << 32) | ((hi - lo) & 0xffffffffL);
  }

  static int lo(long scale) {
    return (int) (scale >> 32);
  }

  static int bits(long scale) {
    return (int) scale;
  }

  /**
   * Largest value width for which window sums over {@code w} values stay exact: sums of t·a with t ≤ w fit a long and
   * n·Σa² − (Σa)² fits 128 bits.
   */
  static int maxBits(int w) {
    int cb = 32 - Integer.numberOfLeadingZeros(w);
    return 62 - 2 * cb;
  }

  static long scaled(float v, int lo) {
    return (long) Math.scalb((double) v, -lo);
  }

  /** A mutable signed 128-bit integer; only what rolling moments need. */
  static final class I128 {
    long hi;
    long lo;

    void set(long v) {
      hi = v >> 63;
      lo = v;
    }

    void set(I128 o) {
      hi = o.hi;
      lo = o.lo;
    }

    void clear() {
      hi = 0;
      lo = 0;
    }

    void addProduct(long a, long b) {
      long ph = Math.multiplyHigh(a, b);
      long pl = a * b;
      long l = lo + pl;
      hi += ph + (Long.compareUnsigned(l, lo) < 0 ? 1 : 0);
      lo = l;
    }

    void subProduct(long a, long b) {
      long ph = Math.multiplyHigh(a, b);
      long pl = a * b;
      long l = lo - pl;
      hi -= ph + (Long.compareUnsigned(lo, pl) < 0 ? 1 : 0);
      lo = l;
    }

    /** Multiplies by a small non-negative k. */
    void multiply(long k) {
      long unsignedHigh = Math.multiplyHigh(lo, k) + ((lo >> 63) & k);
      hi = hi * k + unsignedHigh;
      lo = lo * k;
    }

    boolean isZero() {
      return hi == 0 && lo == 0;
    }

    /** 2^s for the shifts {@link #toDouble} uses. */
    private static final double[] POW2 = new double[67];

    static {
      for (int e = 0; e < POW2.length; e++) {
        POW2[e] = Math.scalb(1.0, e);
      }
    }

    /** The value correctly rounded to double. */
    double toDouble() {
      if (hi == (lo >> 63)) {
        return (double) lo;
      }
      boolean negative = hi < 0;
      long h = hi;
      long l = lo;
      if (negative) {
        l = -l;
        h = ~h + (l == 0 ? 1 : 0);
      }
      // Keep 62 significant bits plus a sticky bit so the single long-to-double rounding is the correct one.
      int length = h == 0 ? 64 : 128 - Long.numberOfLeadingZeros(h);
      int s = length - 62;
      long m;
      boolean sticky;
      if (s < 64) {
        m = (h << (64 - s)) | (l >>> s);
        sticky = (l & ((1L << s) - 1)) != 0;
      } else {
        m = h >>> (s - 64);
        sticky = l != 0 || (h & ((1L << (s - 64)) - 1)) != 0;
      }
      // 2 <= s <= 66: the product by an exact power of two is exact, as scalb's, and much cheaper.
      double d = (double) (m | (sticky ? 1L : 0L)) * POW2[s];
      return negative ? -d : d;
    }
  }
}
