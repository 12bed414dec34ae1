package com.quantmini.transforms.features;

import com.quantmini.transforms.adjust.Adjustment;
import com.quantmini.transforms.model.Dataset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every feature column QuantMini computes, declared once: its family, name, type, the slots of
 * history one value needs (itself included) and the values it carries between runs. Silver's and
 * Qlib's column order, the look-back of an incremental run, the carry layout and the fingerprint an
 * output records are all derived from here, so adding a feature is one entry plus its computation
 * (its values go where {@link #of} puts its name).
 */
public final class FeatureRegistry {
  private FeatureRegistry() {}

  /** The sets built so far, by dataset and families (see {@link #of}). */
  private static final Map<String, FeatureSet> SETS = new ConcurrentHashMap<>();

  /** Silver column type: Alpha158 is float32 as in Qlib, everything else double. */
  public enum Type { FLOAT, DOUBLE }

  /**
   * One feature column. {@code window}: slots one value depends on, itself included (a carry
   * replaces what a recursion knew before); 0 when the value depends on the whole session so far
   * (minute features that restart each session, which the minute state keeps whole).
   */
  public record Feature(String family, String name, Type type, int window) {
    String line() {
      return family + "\t" + name + "\t" + type + "\t" + window;
    }
  }

  /** A value (or run of values) a feature remembers between runs; {@code offset} into the carry. */
  public record CarrySlot(String name, int offset, int size) {}

  /** The features of one dataset for some families, in silver's column order (floats, then doubles). */
  public record FeatureSet(Dataset dataset, List<Feature> features, List<CarrySlot> carry) {
    public List<String> floatNames() {
      return names(Type.FLOAT);
    }

    public List<String> doubleNames() {
      return names(Type.DOUBLE);
    }

    private List<String> names(Type type) {
      return features.stream().filter(f -> f.type() == type).map(Feature::name).toList();
    }

    /**
     * Slots of history before a changed slot that its features are recomputed from: the widest
     * window of the set (Alpha158's 61 when it is in; ROC60 and CORD60 reach 60 slots back).
     */
    public int lookback() {
      return features.stream().mapToInt(Feature::window).max().orElse(1);
    }

    /** Values carried between runs, in carry order. */
    public int carrySize() {
      return carry.stream().mapToInt(CarrySlot::size).sum();
    }

    /**
     * Sixteen hex digits of SHA-256 over every column's declaration and the carry layout: a
     * feature added, removed, renamed, retyped or given another window or carry changes it.
     */
    public String fingerprint() {
      StringBuilder text = new StringBuilder(dataset.name()).append('\n');
      features.forEach(f -> text.append(f.line()).append('\n'));
      carry.forEach(c -> text.append("carry\t").append(c.name()).append('\t').append(c.size()).append('\n'));
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, 8);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }
  }

  static final String ALPHA158 = "alpha158";
  static final String SEED = "seed";
  static final String ADJUSTED = "adjusted";

  /** The adjustment's columns of stock datasets: factor and change, then the adjusted bar fields. */
  public static final List<Feature> ADJUSTMENT = List.of(
      dbl(ADJUSTED, "factor", 1), dbl(ADJUSTED, "change", 2), dbl(ADJUSTED, "adj_open", 1),
      dbl(ADJUSTED, "adj_high", 1), dbl(ADJUSTED, "adj_low", 1), dbl(ADJUSTED, "adj_close", 1),
      dbl(ADJUSTED, "adj_volume", 1));

  /** stocks_daily's seed set, in its column order. */
  static final List<Feature> SEED_DAILY = List.of(
      dbl(SEED, "returns_1d", 2), dbl(SEED, "returns_5d", 6), dbl(SEED, "returns_20d", 21),
      dbl(SEED, "alpha_daily", 2), dbl(SEED, "alpha_5d", 6), dbl(SEED, "alpha_20d", 21),
      dbl(SEED, "price_range", 1), dbl(SEED, "daily_return", 1), dbl(SEED, "volume_ratio", 20),
      dbl(SEED, "typical_price", 1), dbl(SEED, "money_flow", 1), dbl(SEED, "volatility_20d", 21),
      dbl(SEED, "atr_14", 1), dbl(SEED, "rsi_14", 1), dbl(SEED, "macd", 1), dbl(SEED, "macd_signal", 1),
      dbl(SEED, "bb_upper", 20), dbl(SEED, "bb_lower", 20));
  /**
   * What stocks_daily's seed set carries, in carry order: the last bar's close (ATR's true range and
   * RSI's change when a series starts after a gap), then (inputs seen, value) of each recursion.
   */
  public static final List<CarrySlot> SEED_DAILY_CARRY = layout(List.of(
      slot("last_close", 1), slot("macd.ema12", 2), slot("macd.ema26", 2), slot("macd_signal.ema9", 2),
      slot("atr_14.wilder", 2), slot("rsi_14.gain", 2), slot("rsi_14.loss", 2)));

  /** stocks_minute's seed set: per-session features restart each session (window 0). */
  static final List<Feature> SEED_MINUTE = List.of(
      dbl(SEED, "returns_1min", 2), dbl(SEED, "returns_5min", 6), dbl(SEED, "intraday_momentum", 0),
      dbl(SEED, "minute_volume_ratio", 1), dbl(SEED, "vwap_intraday", 0), dbl(SEED, "vwap_distance", 0),
      dbl(SEED, "spread", 1), dbl(SEED, "volatility_5min", 6));
  /** minute_volume_ratio counts bars, not slots: bars seen, then the ring of the last 20 volumes. */
  public static final List<CarrySlot> SEED_MINUTE_CARRY = layout(List.of(
      slot("minute_volume_ratio.seen", 1), slot("minute_volume_ratio.ring", SeedFeatures.VOLUME_WINDOW)));

  /** Options' seed set, then the analytics (implied volatility and Greeks of the slot's own bar). */
  static final List<Feature> SEED_OPTIONS = List.of(
      dbl(SEED, "days_to_expiry", 1), dbl(SEED, "moneyness", 1), dbl(SEED, "returns_1d", 2),
      dbl(SEED, "volume_ratio", 20), dbl(SEED, "implied_vol", 1), dbl(SEED, "delta", 1), dbl(SEED, "gamma", 1),
      dbl(SEED, "theta", 1), dbl(SEED, "vega", 1));

  /** The adjustment's carry (stocks), after the seed's. */
  static final CarrySlot ADJUSTMENT_CARRY = new CarrySlot("factor", 0, Adjustment.CARRY);

  /**
   * The features a dataset gets for these families ("alpha158", "seed"), in silver's column order:
   * Alpha158 (stocks only, float), then the adjustment's columns (stocks), then the seed set.
   */
  public static FeatureSet of(Dataset ds, List<String> families) {
    // Asked for per symbol (names, look-back, carry size): built once per dataset and families.
    return SETS.computeIfAbsent(ds + "\t" + String.join(",", families), k -> build(ds, families));
  }

  private static FeatureSet build(Dataset ds, List<String> families) {
    List<Feature> out = new ArrayList<>();
    if (families.contains(ALPHA158) && !ds.isOptions()) {
      out.addAll(Alpha158.FEATURES);
    }
    boolean adjusted = !ds.isOptions();
    if (adjusted) {
      out.addAll(ADJUSTMENT);
    }
    List<CarrySlot> carry = new ArrayList<>();
    if (families.contains(SEED)) {
      out.addAll(ds == Dataset.stocks_daily ? SEED_DAILY : ds == Dataset.stocks_minute ? SEED_MINUTE : SEED_OPTIONS);
      carry.addAll(ds == Dataset.stocks_daily ? SEED_DAILY_CARRY
          : ds == Dataset.stocks_minute ? SEED_MINUTE_CARRY : List.of());
    }
    if (adjusted) {
      int at = carry.stream().mapToInt(CarrySlot::size).sum();
      carry.add(new CarrySlot(ADJUSTMENT_CARRY.name(), at, ADJUSTMENT_CARRY.size()));
    }
    return new FeatureSet(ds, List.copyOf(out), List.copyOf(carry));
  }

  /** The offset of a carry slot in a layout. */
  public static int offset(List<CarrySlot> layout, String name) {
    return layout.stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no carry slot " + name)).offset();
  }

  static Feature dbl(String family, String name, int window) {
    return new Feature(family, name, Type.DOUBLE, window);
  }

  private static CarrySlot slot(String name, int size) {
    return new CarrySlot(name, -1, size);
  }

  private static List<CarrySlot> layout(List<CarrySlot> slots) {
    List<CarrySlot> out = new ArrayList<>();
    int at = 0;
    for (CarrySlot s : slots) {
      out.add(new CarrySlot(s.name(), at, s.size()));
      at += s.size();
    }
    return List.copyOf(out);
  }
}
