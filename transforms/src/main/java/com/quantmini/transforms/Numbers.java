package com.quantmini.transforms;

import java.nio.charset.StandardCharsets;

/**
 * Allocation-free parsing of the decimal numbers flat files carry. Plain decimals of up to 15
 * significant digits are converted exactly (an exact integer divided by an exact power of ten is
 * correctly rounded); anything else falls back to {@link Double#parseDouble}, so every result is
 * the correctly rounded double of its text.
 */
final class Numbers {
  private Numbers() {}

  private static final double[] POW10 = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  /** Thrown for text that is not a number at all; a NaN or infinity parses and is checked later. */
  static final class NotANumber extends Exception {
    NotANumber() {
      super(null, null, false, false);
    }
  }

  private static final NotANumber NOT_A_NUMBER = new NotANumber();

  static double parseDouble(byte[] b, int from, int to) throws NotANumber {
    int i = from;
    boolean neg = false;
    if (i < to && (b[i] == '-' || b[i] == '+')) {
      neg = b[i] == '-';
      i++;
    }
    long mant = 0;
    int digits = 0;
    int scale = 0;
    boolean dot = false;
    boolean any = false;
    for (; i < to; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        any = true;
        if (mant == 0 && c == '0') {
          if (dot) {
            scale++;
          }
          continue;
        }
        if (digits >= 15) {
          return slow(b, from, to);
        }
        mant = mant * 10 + (c - '0');
        digits++;
        if (dot) {
          scale++;
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        return slow(b, from, to);
      }
    }
    if (!any) {
      throw NOT_A_NUMBER;
    }
    if (scale > 22) {
      return slow(b, from, to);
    }
    double v = scale == 0 ? mant : mant / POW10[scale];
    return neg ? -v : v;
  }

  private static double slow(byte[] b, int from, int to) throws NotANumber {
    String s = new String(b, from, to - from, StandardCharsets.ISO_8859_1).trim();
    try {
      if (!plainDecimal(s)) {
        throw new NumberFormatException(s); // Java-only syntax: 1d, 2f, 0x1p3
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      String l = s.toLowerCase();
      String unsigned = l.startsWith("-") || l.startsWith("+") ? l.substring(1) : l;
      if (unsigned.equals("inf") || unsigned.equals("infinity")) {
        return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      if (unsigned.equals("nan")) {
        return Double.NaN;
      }
      throw NOT_A_NUMBER;
    }
  }

  /** Only digits, sign, point and exponent: what a CSV decimal may contain. */
  private static boolean plainDecimal(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }

  /** Parses a plain (optionally signed) integer that fits in a long. */
  static long parseLong(byte[] b, int from, int to) throws NotANumber {
    int i = from;
    boolean neg = false;
    if (i < to && (b[i] == '-' || b[i] == '+')) {
      neg = b[i] == '-';
      i++;
    }
    if (i >= to || to - i > 19) {
      throw NOT_A_NUMBER;
    }
    long v = 0;
    for (; i < to; i++) {
      byte c = b[i];
      if (c < '0' || c > '9') {
        throw NOT_A_NUMBER;
      }
      v = v * 10 + (c - '0');
      if (v < 0) {
        throw NOT_A_NUMBER; // overflowed past Long.MAX_VALUE
      }
    }
    return neg ? -v : v;
  }
}
