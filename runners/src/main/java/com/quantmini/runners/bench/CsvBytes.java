package com.quantmini.runners.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** A growable ASCII byte buffer with allocation-free number formatting (shortest form, like the flat files). */
final class CsvBytes {
  private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  private byte[] buf;
  private int len;
  private final byte[] digits = new byte[20];

  CsvBytes(int capacity) {
    buf = new byte[capacity];
  }

  int size() {
    return len;
  }

  void drainTo(OutputStream out) throws IOException {
    out.write(buf, 0, len);
    len = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  CsvBytes ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  CsvBytes ch(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  CsvBytes num(long v) {
    ensure(21);
    if (v < 0) {
      buf[len++] = '-';
      v = -v;
    }
    int n = 0;
    do {
      digits[n++] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    while (n > 0) {
      buf[len++] = digits[--n];
    }
    return this;
  }

  /** Prints {@code v} rounded to at most {@code maxDecimals} places, trailing zeros (and a bare point) dropped. */
  CsvBytes dec(double v, int maxDecimals) {
    long scale = POW10[maxDecimals];
    long scaled = Math.round(v * scale);
    if (scaled < 0) {
      ch('-');
      scaled = -scaled;
    }
    num(scaled / scale);
    long frac = scaled % scale;
    if (frac != 0) {
      int places = maxDecimals;
      while (frac % 10 == 0) {
        frac /= 10;
        places--;
      }
      ensure(places + 1);
      buf[len++] = '.';
      for (int i = places - 1; i >= 0; i--) {
        buf[len + i] = (byte) ('0' + (frac % 10));
        frac /= 10;
      }
      len += places;
    }
    return this;
  }

  static double round(double v, int decimals) {
    double scale = POW10[decimals];
    return Math.round(v * scale) / scale;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }
}
