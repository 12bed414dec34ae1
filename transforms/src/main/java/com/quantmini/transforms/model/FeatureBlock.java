package com.quantmini.transforms.model;

import com.quantmini.transforms.SymbolSeries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * The symbols of one bucket with their whole series on the dataset's calendar and their feature
 * columns: float32 features (Alpha158, computed in Qlib's precision) and double features (the seed
 * set). Arrays are shared, never copied; nobody modifies them after the block is built.
 */
public final class FeatureBlock {
  private final String dataset;
  private final String bucket;
  private final List<String> floatNames;
  private final List<String> doubleNames;
  private final List<Symbol> symbols;

  /** One symbol: its series plus feature columns of the same length. */
  public static final class Symbol {
    public final SymbolSeries series;
    public final float[][] floats;
    public final double[][] doubles;

    public Symbol(SymbolSeries series, float[][] floats, double[][] doubles) {
      this.series = series;
      this.floats = floats;
      this.doubles = doubles;
    }
  }

  public FeatureBlock(String dataset, String bucket, List<String> floatNames, List<String> doubleNames,
      List<Symbol> symbols) {
    this.dataset = dataset;
    this.bucket = bucket;
    this.floatNames = List.copyOf(floatNames);
    this.doubleNames = List.copyOf(doubleNames);
    this.symbols = List.copyOf(symbols);
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

  public List<Symbol> symbols() {
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
      ArrayIo.writeString(out, b.dataset);
      ArrayIo.writeString(out, b.bucket);
      writeNames(out, b.floatNames);
      writeNames(out, b.doubleNames);
      ArrayIo.writeInt(out, b.symbols.size());
      for (Symbol s : b.symbols) {
        SymbolSeries r = s.series;
        ArrayIo.writeString(out, r.ticker);
        ArrayIo.writeString(out, r.instrument);
        ArrayIo.writeInt(out, r.start);
        for (double[] col : new double[][] {r.open, r.high, r.low, r.close, r.volume, r.transactions}) {
          ArrayIo.writeDoubles(out, col);
        }
        ArrayIo.writeLongs(out, r.windowStart);
        for (float[] f : s.floats) {
          ArrayIo.writeFloats(out, f);
        }
        for (double[] d : s.doubles) {
          ArrayIo.writeDoubles(out, d);
        }
      }
    }

    @Override
    public FeatureBlock decode(InputStream in) throws IOException {
      String dataset = ArrayIo.readString(in);
      String bucket = ArrayIo.readString(in);
      List<String> floatNames = readNames(in);
      List<String> doubleNames = readNames(in);
      int n = ArrayIo.readInt(in);
      List<Symbol> symbols = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String ticker = ArrayIo.readString(in);
        String instrument = ArrayIo.readString(in);
        int start = ArrayIo.readInt(in);
        double[][] raw = new double[6][];
        for (int c = 0; c < 6; c++) {
          raw[c] = ArrayIo.readDoubles(in);
        }
        long[] ws = ArrayIo.readLongs(in);
        float[][] floats = new float[floatNames.size()][];
        for (int f = 0; f < floats.length; f++) {
          floats[f] = ArrayIo.readFloats(in);
        }
        double[][] doubles = new double[doubleNames.size()][];
        for (int d = 0; d < doubles.length; d++) {
          doubles[d] = ArrayIo.readDoubles(in);
        }
        symbols.add(new Symbol(new SymbolSeries(ticker, instrument, start, raw[0], raw[1], raw[2], raw[3],
            raw[4], raw[5], ws), floats, doubles));
      }
      return new FeatureBlock(dataset, bucket, floatNames, doubleNames, symbols);
    }
  }
}
