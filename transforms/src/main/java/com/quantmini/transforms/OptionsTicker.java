package com.quantmini.transforms;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * An OPRA contract ticker {@code O:<root><YYMMDD><C|P><strike*1000, 8 digits>}, parsed from the
 * right: the last 15 characters are fixed, the root is whatever stands between "O:" and them (it may
 * end in a digit, as adjusted contracts like {@code O:SDS1220204C00003000} do).
 */
public final class OptionsTicker {
  private final String underlying;
  private final LocalDate expiration;
  private final boolean call;
  private final double strike;

  private OptionsTicker(String underlying, LocalDate expiration, boolean call, double strike) {
    this.underlying = underlying;
    this.expiration = expiration;
    this.call = call;
    this.strike = strike;
  }

  /** Returns the parsed ticker, or null when it does not follow the layout. */
  public static OptionsTicker parse(String t) {
    int n = t.length();
    if (n < 2 + 1 + 15 || !t.startsWith("O:")) {
      return null;
    }
    int tail = n - 15;
    // OCC root: 1-6 characters, upper-case letters then at most one digit (SDS1).
    int rootEnd = tail > 2 && t.charAt(tail - 1) >= '0' && t.charAt(tail - 1) <= '9' ? tail - 1 : tail;
    if (tail - 2 > 6 || rootEnd == 2) {
      return null;
    }
    for (int i = 2; i < rootEnd; i++) {
      char c = t.charAt(i);
      if (c < 'A' || c > 'Z') {
        return null;
      }
    }
    for (int i = tail; i < n; i++) {
      if (i != tail + 6 && (t.charAt(i) < '0' || t.charAt(i) > '9')) {
        return null;
      }
    }
    char type = t.charAt(tail + 6);
    if (type != 'C' && type != 'P') {
      return null;
    }
    int yy = num(t, tail, 2);
    int mm = num(t, tail + 2, 2);
    int dd = num(t, tail + 4, 2);
    LocalDate expiration;
    try {
      expiration = LocalDate.of(2000 + yy, mm, dd);
    } catch (DateTimeException e) {
      return null;
    }
    long strikeMilli = Long.parseLong(t.substring(tail + 7));
    return new OptionsTicker(t.substring(2, tail), expiration, type == 'C', strikeMilli / 1000.0);
  }

  private static int num(String s, int from, int len) {
    return Integer.parseInt(s.substring(from, from + len));
  }

  /** The OCC root, e.g. SPY, SPXW or SDS1; not always the stock ticker. */
  public String underlying() {
    return underlying;
  }

  public LocalDate expiration() {
    return expiration;
  }

  public boolean isCall() {
    return call;
  }

  /** "call" or "put". */
  public String contractType() {
    return call ? "call" : "put";
  }

  public double strike() {
    return strike;
  }
}
