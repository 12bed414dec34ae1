package com.quantmini.transforms.adjust;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One split or cash dividend as the provider reports it ({@code /v3/reference/splits},
 * {@code /v3/reference/dividends}). Equality is by what the event does (ticker, kind, date, values),
 * not by its id: the provider's duplicates (same event, other ids) are one event.
 */
public final class CorporateAction implements Serializable, Comparable<CorporateAction> {
  private static final long serialVersionUID = 1L;

  public enum Kind { SPLIT, DIVIDEND }

  public final Kind kind;
  public final String ticker;
  /** Execution date (split) or ex-dividend date, as an epoch day. */
  public final long day;
  public final double splitFrom;
  public final double splitTo;
  public final double cashAmount;
  public final String currency;
  /** CD, SC, LT, ST, ... (dividends only). */
  public final String dividendType;
  public final String id;

  private CorporateAction(Kind kind, String ticker, long day, double splitFrom, double splitTo, double cashAmount,
      String currency, String dividendType, String id) {
    this.kind = kind;
    this.ticker = Objects.requireNonNull(ticker);
    this.day = day;
    this.splitFrom = splitFrom;
    this.splitTo = splitTo;
    this.cashAmount = cashAmount;
    this.currency = currency == null ? "" : currency;
    this.dividendType = dividendType == null ? "" : dividendType;
    this.id = id == null ? "" : id;
  }

  public static CorporateAction split(String ticker, LocalDate executionDate, double splitFrom, double splitTo,
      String id) {
    return new CorporateAction(Kind.SPLIT, ticker, executionDate.toEpochDay(), splitFrom, splitTo, Double.NaN, "", "",
        id);
  }

  public static CorporateAction dividend(String ticker, LocalDate exDate, double cashAmount, String currency,
      String dividendType, String id) {
    return new CorporateAction(Kind.DIVIDEND, ticker, exDate.toEpochDay(), Double.NaN, Double.NaN, cashAmount,
        currency, dividendType, id);
  }

  /** Writes every field (see {@link #readFrom}); {@link CorporateActions} packs its events so. */
  void writeTo(DataOutput out) throws IOException {
    out.writeByte(kind.ordinal());
    out.writeUTF(ticker);
    out.writeLong(day);
    out.writeDouble(splitFrom);
    out.writeDouble(splitTo);
    out.writeDouble(cashAmount);
    out.writeUTF(currency);
    out.writeUTF(dividendType);
    out.writeUTF(id);
  }

  static CorporateAction readFrom(DataInput in) throws IOException {
    return new CorporateAction(Kind.values()[in.readByte()], in.readUTF(), in.readLong(), in.readDouble(),
        in.readDouble(), in.readDouble(), in.readUTF(), in.readUTF(), in.readUTF());
  }

  public boolean isSplit() {
    return kind == Kind.SPLIT;
  }

  public LocalDate date() {
    return LocalDate.ofEpochDay(day);
  }

  /** What a split multiplies the factor by: new shares per old share. */
  public double ratio() {
    return splitTo / splitFrom;
  }

  /**
   * Why the adjustment cannot use this event at all, or null: a split needs two positive finite
   * sides, a dividend a positive finite USD amount.
   */
  public String unusable() {
    if (isSplit()) {
      return splitFrom > 0 && splitTo > 0 && Double.isFinite(splitFrom) && Double.isFinite(splitTo) ? null
          : "split ratio " + splitFrom + ":" + splitTo;
    }
    if (!(cashAmount > 0) || !Double.isFinite(cashAmount)) {
      return "cash amount " + cashAmount;
    }
    return "USD".equalsIgnoreCase(currency) ? null : "currency " + (currency.isEmpty() ? "missing" : currency);
  }

  /** Date order; on one date splits first (a dividend's amount is on the new share basis). */
  @Override
  public int compareTo(CorporateAction o) {
    int c = Long.compare(day, o.day);
    if (c != 0) {
      return c;
    }
    c = kind.compareTo(o.kind);
    if (c != 0) {
      return c;
    }
    c = ticker.compareTo(o.ticker);
    if (c != 0) {
      return c;
    }
    c = Double.compare(splitFrom, o.splitFrom);
    c = c != 0 ? c : Double.compare(splitTo, o.splitTo);
    c = c != 0 ? c : Double.compare(cashAmount, o.cashAmount);
    c = c != 0 ? c : currency.compareTo(o.currency);
    return c != 0 ? c : dividendType.compareTo(o.dividendType);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CorporateAction && compareTo((CorporateAction) o) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, ticker, day, splitFrom, splitTo, cashAmount, currency, dividendType);
  }

  @Override
  public String toString() {
    return isSplit() ? String.format("%s split %s:%s on %s", ticker, num(splitFrom), num(splitTo), date())
        : String.format("%s dividend %s %s (%s) ex %s", ticker, num(cashAmount), currency, dividendType, date());
  }

  private static String num(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }
}
