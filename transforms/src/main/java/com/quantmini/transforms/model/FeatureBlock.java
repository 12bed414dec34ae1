package com.quantmini.transforms.model;

import com.quantmini.transforms.SymbolSeries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * The symbols of one bucket after a run: for each, the slots whose features were computed (from a
 * little before its first changed slot to its last bar) with float32 features (Alpha158, in Qlib's
 * precision) and double features (the seed set), where its Qlib files change, and what to remember
 * for the next run. {@code freshSessions} are the sessions this run processed (what silver gets).
 * Arrays are shared, never copied; nobody modifies them after the block is built.
 */
public final class FeatureBlock {
  private final String dataset;
  private final String bucket;
  private final List<String> floatNames;
  private final List<String> doubleNames;
  private final List<Symbol> symbols;
  private final List<String> freshSessions;
  /** The file holding this block's symbols, or null when they are in memory. */
  private final String storedAt;

  /** One symbol: computed slots with their features, where its files change, and its state. */
  public static final class Symbol {
    /** Slots known to this run (its features computed when {@link #computed}); the whole series on a full build. */
    public final SymbolSeries series;
    public final float[][] floats;
    public final double[][] doubles;
    /** Slot of the first bar (the Qlib header). */
    public final int origin;
    /** First slot whose value changes in the Qlib files; Integer.MAX_VALUE when none does. */
    public final int changedFrom;
    /** Header of the existing files on the old calendar, -1 for a new symbol. */
    public final int oldOrigin;
    /** What the next run remembers of this symbol: its last slots, and the feature carry before them. */
    public final SymbolSeries state;
    public final double[] stateCarry;
    /** Whether {@link #series} holds computed rows for the silver layer (changed, or needed again). */
    public final boolean computed;

    public Symbol(SymbolSeries series, float[][] floats, double[][] doubles, int origin, int changedFrom,
        int oldOrigin, SymbolSeries state, double[] stateCarry, boolean computed) {
      this.computed = computed;
      this.stateCarry = stateCarry;
      this.series = series;
      this.floats = floats;
      this.doubles = doubles;
      this.origin = origin;
      this.changedFrom = changedFrom;
      this.oldOrigin = oldOrigin;
      this.state = state;
    }

    public boolean changed() {
      return changedFrom != Integer.MAX_VALUE;
    }

    /** Last slot of the symbol's files. */
    public int end() {
      return state.end();
    }
  }

  public FeatureBlock(String dataset, String bucket, List<String> floatNames, List<String> doubleNames,
      List<Symbol> symbols, List<String> freshSessions) {
    this.dataset = dataset;
    this.bucket = bucket;
    this.floatNames = List.copyOf(floatNames);
    this.doubleNames = List.copyOf(doubleNames);
    this.symbols = List.copyOf(symbols);
    this.freshSessions = List.copyOf(freshSessions);
    this.storedAt = null;
  }

  private FeatureBlock(FeatureBlock like, String storedAt) {
    this.dataset = like.dataset;
    this.bucket = like.bucket;
    this.floatNames = like.floatNames;
    this.doubleNames = like.doubleNames;
    this.symbols = List.of();
    this.freshSessions = like.freshSessions;
    this.storedAt = storedAt;
  }

  /**
   * A handle to this block once a {@link BlockStore} has written it to {@code path}: the names and
   * the path, no symbols.
   */
  public FeatureBlock storedAt(String path) {
    return new FeatureBlock(this, path);
  }

  /** Whether the symbols are in a file ({@link BlockStore}); {@link #path()} names it. */
  public boolean isStored() {
    return storedAt != null;
  }

  /** The file of a stored block; null for one in memory. */
  public String path() {
    return storedAt;
  }

  /** Sessions (ISO dates) whose silver rows this run writes, sorted: its fresh sessions, plus every
   * later one when it changed an old session. */
  public List<String> freshSessions() {
    return freshSessions;
  }

  public String dataset() {
    return dataset;
  }

  public Dataset datasetEnum() {
    return Dataset.valueOf(dataset);
  }

  /** Group key {@code <dataset>/<bucket number>}. */
  public String bucket() {
    return bucket;
  }

  public List<String> floatNames() {
    return floatNames;
  }

  public List<String> doubleNames() {
    return doubleNames;
  }

  /** The symbols (of a stored block: load it from its store first). */
  public List<Symbol> symbols() {
    if (storedAt != null) {
      throw new IllegalStateException("the symbols of bucket " + bucket + " are in " + storedAt + "; load it first");
    }
    return symbols;
  }

  /** Bulk coder: names once, then each symbol's arrays as raw values. */
  public static final class FeatureBlockCoder extends AtomicCoder<FeatureBlock> {
    private static final FeatureBlockCoder INSTANCE = new FeatureBlockCoder();

    public static FeatureBlockCoder of() {
      return INSTANCE;
    }

    private static void writeNames(OutputStream out, List<String> names) throws IOException {
      ArrayIo.writeInt(out, names.size());
      for (String n : names) {
        ArrayIo.writeString(out, n);
      }
    }

    private static List<String> readNames(InputStream in) throws IOException {
      int n = ArrayIo.readInt(in);
      List<String> names = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        names.add(ArrayIo.readString(in));
      }
      return names;
    }

    @Override
    public void encode(FeatureBlock b, OutputStream out) throws IOException {
      out.write(b.storedAt == null ? 0 : 1);
      ArrayIo.writeString(out, b.dataset);
      ArrayIo.writeString(out, b.bucket);
      writeNames(out, b.floatNames);
      writeNames(out, b.doubleNames);
      writeNames(out, b.freshSessions);
      if (b.storedAt != null) {
        ArrayIo.writeString(out, b.storedAt);
        return;
      }
      ArrayIo.writeInt(out, b.symbols.size());
      for (Symbol s : b.symbols) {
        ArrayIo.writeInt(out, s.origin);
        ArrayIo.writeInt(out, s.changedFrom);
        ArrayIo.writeInt(out, s.oldOrigin);
        boolean same = s.series == s.state;
        boolean inSeries = !same && inSeries(s.state, s.series);
        out.write((same ? SAME_SERIES : 0) | (s.computed ? COMPUTED : 0) | (inSeries ? STATE_IN_SERIES : 0));
        Slots slots = writeSeries(out, s.series);
        if (inSeries) {
          ArrayIo.writeInt(out, s.state.start);
        } else if (!same) {
          writeSeries(out, s.state);
        }
        ArrayIo.writeDoubles(out, s.stateCarry);
        ArrayIo.writeInt(out, s.floats.length);
        for (float[] f : s.floats) {
          if (slots.nanWhereEmpty(f)) {
            out.write(AT_BARS);
            slots.writeFloats(out, f);
          } else {
            out.write(DATA);
            ArrayIo.writeFloats(out, f);
          }
        }
        ArrayIo.writeInt(out, s.doubles.length);
        for (double[] d : s.doubles) {
          int tag = tag(d, s.series);
          if (tag == DATA && slots.nanWhereEmpty(d)) {
            tag = AT_BARS;
          }
          out.write(tag);
          if (tag == DATA) {
            ArrayIo.writeDoubles(out, d);
          } else if (tag == AT_BARS) {
            slots.writeDoubles(out, d);
          }
        }
      }
    }

    // Symbol flags.
    private static final int SAME_SERIES = 1;
    private static final int COMPUTED = 2;
    private static final int STATE_IN_SERIES = 4;
    // Double column tags: its values follow, or it equals (bit for bit) a column the decoder already
    // has. Unadjusted prices are their own adjustment and the factor is 1 at every bar, which
    // halves what a block of stock bars writes and reads.
    private static final int DATA = 0;
    private static final int UNIT_FACTOR = 6; // 1 at a bar (a close), NaN elsewhere; 1..5: open..volume
    // Values at the series' slots with a bar only, NaN at the others (most slots of a minute series).
    private static final int AT_BARS = 7;

    /** Which of the series' columns {@code d} repeats, {@link #UNIT_FACTOR}, or {@link #DATA}. */
    private static int tag(double[] d, SymbolSeries s) {
      if (d.length != s.length()) {
        return DATA;
      }
      double[][] raw = barColumns(s);
      for (int c = 0; c < raw.length; c++) {
        if (sameBits(d, 0, raw[c], 0, d.length)) {
          return c + 1;
        }
      }
      for (int k = 0; k < d.length; k++) {
        if (Double.doubleToRawLongBits(d[k]) != Double.doubleToRawLongBits(unitFactor(s.close[k]))) {
          return DATA;
        }
      }
      return UNIT_FACTOR;
    }

    private static double unitFactor(double close) {
      return Double.isNaN(close) ? Double.NaN : 1.0;
    }

    /** The bar columns a tag 1..5 names. */
    private static double[][] barColumns(SymbolSeries s) {
      return new double[][] {s.open, s.high, s.low, s.close, s.volume};
    }

    private static double[] column(int tag, SymbolSeries s) throws IOException {
      if (tag == UNIT_FACTOR) {
        double[] f = new double[s.length()];
        for (int k = 0; k < f.length; k++) {
          f[k] = unitFactor(s.close[k]);
        }
        return f;
      }
      if (tag < 1 || tag > UNIT_FACTOR) { // DATA and AT_BARS are read by the caller
        throw new IOException("unknown column tag " + tag + " in a feature block");
      }
      return barColumns(s)[tag - 1];
    }

    /** Whether {@code state} is {@code series} from some slot to its end, bit for bit. */
    private static boolean inSeries(SymbolSeries state, SymbolSeries series) {
      int off = state.start - series.start;
      int n = state.length();
      if (off < 0 || state.end() != series.end() || !state.ticker.equals(series.ticker)
          || !state.instrument.equals(series.instrument)) {
        return false;
      }
      for (int k = 0; k < n; k++) {
        if (state.windowStart[k] != series.windowStart[off + k]) {
          return false;
        }
      }
      return sameBits(state.open, 0, series.open, off, n) && sameBits(state.high, 0, series.high, off, n)
          && sameBits(state.low, 0, series.low, off, n) && sameBits(state.close, 0, series.close, off, n)
          && sameBits(state.volume, 0, series.volume, off, n)
          && sameBits(state.transactions, 0, series.transactions, off, n);
    }

    private static boolean sameBits(double[] a, int from, double[] b, int bFrom, int n) {
      for (int k = 0; k < n; k++) {
        if (Double.doubleToRawLongBits(a[from + k]) != Double.doubleToRawLongBits(b[bFrom + k])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public FeatureBlock decode(InputStream in) throws IOException {
      int stored = in.read();
      if (stored != 0 && stored != 1) {
        throw new IOException("not a feature block (first byte " + stored + ")");
      }
      String dataset = ArrayIo.readString(in);
      String bucket = ArrayIo.readString(in);
      List<String> floatNames = readNames(in);
      List<String> doubleNames = readNames(in);
      List<String> fresh = readNames(in);
      if (stored == 1) {
        return new FeatureBlock(new FeatureBlock(dataset, bucket, floatNames, doubleNames, List.of(), fresh),
            ArrayIo.readString(in));
      }
      int n = ArrayIo.readInt(in);
      List<Symbol> symbols = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int origin = ArrayIo.readInt(in);
        int changedFrom = ArrayIo.readInt(in);
        int oldOrigin = ArrayIo.readInt(in);
        int flags = in.read();
        if (flags < 0 || flags > (SAME_SERIES | COMPUTED | STATE_IN_SERIES)) {
          throw new IOException("bad symbol flags " + flags + " in feature block " + bucket);
        }
        Laid laid = readSeries(in);
        SymbolSeries series = laid.series;
        SymbolSeries state = (flags & SAME_SERIES) != 0 ? series
            : (flags & STATE_IN_SERIES) != 0 ? series.slice(ArrayIo.readInt(in), series.end())
            : readSeries(in).series;
        double[] stateCarry = ArrayIo.readDoubles(in);
        float[][] floats = new float[ArrayIo.readInt(in)][];
        for (int f = 0; f < floats.length; f++) {
          int how = in.read();
          if (how != DATA && how != AT_BARS) {
            throw new IOException("unknown float column tag " + how + " in feature block " + bucket);
          }
          floats[f] = how == AT_BARS ? laid.slots.readFloats(in) : ArrayIo.readFloats(in);
        }
        double[][] doubles = new double[ArrayIo.readInt(in)][];
        for (int d = 0; d < doubles.length; d++) {
          int tag = in.read();
          doubles[d] = tag == DATA ? ArrayIo.readDoubles(in)
              : tag == AT_BARS ? laid.slots.readDoubles(in) : column(tag, series);
        }
        symbols.add(new Symbol(series, floats, doubles, origin, changedFrom, oldOrigin, state, stateCarry,
            (flags & COMPUTED) != 0));
      }
      return new FeatureBlock(dataset, bucket, floatNames, doubleNames, symbols, fresh);
    }

    /** Writes the series' columns at its slots with a bar; returns those slots. */
    private static Slots writeSeries(OutputStream out, SymbolSeries r) throws IOException {
      ArrayIo.writeString(out, r.ticker);
      ArrayIo.writeString(out, r.instrument);
      ArrayIo.writeInt(out, r.start);
      Slots slots = Slots.of(r);
      slots.write(out);
      for (double[] col : new double[][] {r.open, r.high, r.low, r.close, r.volume, r.transactions}) {
        slots.writeDoubles(out, col);
      }
      slots.writeLongs(out, r.windowStart);
      return slots;
    }

    /** A decoded series and which of its slots have a bar. */
    private record Laid(SymbolSeries series, Slots slots) {}

    private static Laid readSeries(InputStream in) throws IOException {
      String ticker = ArrayIo.readString(in);
      String instrument = ArrayIo.readString(in);
      int start = ArrayIo.readInt(in);
      Slots slots = Slots.read(in);
      double[][] raw = new double[6][];
      for (int c = 0; c < 6; c++) {
        raw[c] = slots.readDoubles(in);
      }
      long[] ws = slots.readLongs(in);
      return new Laid(new SymbolSeries(ticker, instrument, start, raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], ws),
          slots);
    }
  }
}
