package com.quantmini.transforms.model;

import com.quantmini.transforms.SymbolSeries;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Which slots of a series hold a bar, so the block coders write a column's values at those slots
 * only: a minute series lies on a calendar of every minute of the session, and most symbols trade
 * in few of them (the generated minute week: 56 % of slots empty; real thin tickers far more).
 * A slot counts as empty only when every bar column holds exactly what an empty slot holds (the
 * canonical NaN, window_start 0), so decoding gives the same bits back.
 */
final class Slots {
  private static final long NAN = Double.doubleToRawLongBits(Double.NaN);
  private static final int FLOAT_NAN = Float.floatToRawIntBits(Float.NaN);

  private final int length;
  /** Slots with a bar, ascending; null when every slot has one. */
  private final int[] bars;

  private Slots(int length, int[] bars) {
    this.length = length;
    this.bars = bars;
  }

  static Slots of(SymbolSeries s) {
    int n = s.length();
    int[] at = new int[n];
    int m = 0;
    for (int k = 0; k < n; k++) {
      if (s.windowStart[k] != 0 || !empty(s.open[k]) || !empty(s.high[k]) || !empty(s.low[k])
          || !empty(s.close[k]) || !empty(s.volume[k]) || !empty(s.transactions[k])) {
        at[m++] = k;
      }
    }
    return new Slots(n, m == n ? null : Arrays.copyOf(at, m));
  }

  private static boolean empty(double v) {
    return Double.doubleToRawLongBits(v) == NAN;
  }

  private int count() {
    return bars == null ? length : bars.length;
  }

  /** The length, the number of slots with a bar and, when some are empty, one bit per slot. */
  void write(OutputStream out) throws IOException {
    ArrayIo.writeInt(out, length);
    ArrayIo.writeInt(out, count());
    if (bars != null) {
      byte[] bits = new byte[(length + 7) / 8];
      for (int k : bars) {
        bits[k >>> 3] |= (byte) (1 << (k & 7));
      }
      out.write(bits);
    }
  }

  static Slots read(InputStream in) throws IOException {
    int n = ArrayIo.readInt(in);
    int m = ArrayIo.readInt(in);
    if (n < 0 || m < 0 || m > n) {
      throw new IOException("bad slot counts " + m + " of " + n);
    }
    if (m == n) {
      return new Slots(n, null);
    }
    byte[] bits = new byte[(n + 7) / 8];
    new DataInputStream(in).readFully(bits);
    int[] at = new int[m];
    int j = 0;
    for (int k = 0; k < n; k++) {
      if ((bits[k >>> 3] & (1 << (k & 7))) != 0) {
        if (j == m) {
          throw new IOException("slot bitmap marks more than " + m + " slots");
        }
        at[j++] = k;
      }
    }
    if (j != m) {
      throw new IOException("slot bitmap marks " + j + " slots, expected " + m);
    }
    return new Slots(n, at);
  }

  /** Whether {@code a} (one value per slot) holds the canonical NaN at every empty slot. */
  boolean nanWhereEmpty(double[] a) {
    return a.length == length && (bars == null || emptyBetweenBars(k -> Double.doubleToRawLongBits(a[k]) == NAN));
  }

  boolean nanWhereEmpty(float[] a) {
    return a.length == length && (bars == null || emptyBetweenBars(k -> Float.floatToRawIntBits(a[k]) == FLOAT_NAN));
  }

  private boolean emptyBetweenBars(IntPredicate isEmpty) {
    int next = 0;
    for (int k = 0; k < length; k++) {
      if (next < bars.length && bars[next] == k) {
        next++;
      } else if (!isEmpty.test(k)) {
        return false;
      }
    }
    return true;
  }

  // The values at slots with a bar; readers put NaN (0 for window_start) everywhere else. A series
  // with a bar in every slot goes through ArrayIo's bulk column as before.

  /** Puts the value of slot {@code k} into the buffer, or takes it from there. */
  private interface SlotValue {
    void move(ByteBuffer buf, int k);
  }

  /** The values of the slots with a bar, {@code width} bytes each (only when some slot is empty). */
  private void gather(OutputStream out, int width, SlotValue put) throws IOException {
    ArrayIo.write(out, bars.length, width, (buf, i, m) -> {
      for (int j = i; j < i + m; j++) {
        put.move(buf, bars[j]);
      }
    });
  }

  /** Reads what {@link #gather} wrote, handing each value to its slot. */
  private void scatter(InputStream in, int width, SlotValue take) throws IOException {
    ArrayIo.read(in, expect(in), width, (buf, i, m) -> {
      for (int j = i; j < i + m; j++) {
        take.move(buf, bars[j]);
      }
    });
  }

  void writeDoubles(OutputStream out, double[] a) throws IOException {
    if (bars == null) {
      ArrayIo.writeDoubles(out, a);
    } else {
      gather(out, 8, (buf, k) -> buf.putDouble(a[k]));
    }
  }

  double[] readDoubles(InputStream in) throws IOException {
    if (bars == null) {
      double[] a = ArrayIo.readDoubles(in);
      check(a.length);
      return a;
    }
    double[] a = new double[length];
    Arrays.fill(a, Double.NaN);
    scatter(in, 8, (buf, k) -> a[k] = buf.getDouble());
    return a;
  }

  void writeFloats(OutputStream out, float[] a) throws IOException {
    if (bars == null) {
      ArrayIo.writeFloats(out, a);
    } else {
      gather(out, 4, (buf, k) -> buf.putFloat(a[k]));
    }
  }

  float[] readFloats(InputStream in) throws IOException {
    if (bars == null) {
      float[] a = ArrayIo.readFloats(in);
      check(a.length);
      return a;
    }
    float[] a = new float[length];
    Arrays.fill(a, Float.NaN);
    scatter(in, 4, (buf, k) -> a[k] = buf.getFloat());
    return a;
  }

  void writeLongs(OutputStream out, long[] a) throws IOException {
    if (bars == null) {
      ArrayIo.writeLongs(out, a);
    } else {
      gather(out, 8, (buf, k) -> buf.putLong(a[k]));
    }
  }

  long[] readLongs(InputStream in) throws IOException {
    if (bars == null) {
      long[] a = ArrayIo.readLongs(in);
      check(a.length);
      return a;
    }
    long[] a = new long[length];
    scatter(in, 8, (buf, k) -> a[k] = buf.getLong());
    return a;
  }

  private void check(int n) throws IOException {
    if (n != length) {
      throw new IOException("column of " + n + " values in a series of " + length + " slots");
    }
  }

  private int expect(InputStream in) throws IOException {
    int n = ArrayIo.readInt(in);
    if (n != bars.length) {
      throw new IOException("column of " + n + " values where " + bars.length + " slots have a bar");
    }
    return n;
  }
}
