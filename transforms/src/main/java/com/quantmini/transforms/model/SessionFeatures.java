package com.quantmini.transforms.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * Rows of one session (of one bucket, or of all buckets once merged) with their feature values:
 * the bronze columns as a {@link BarBlock} and, row-aligned, float32 and double feature columns.
 * This is what a silver Parquet file holds.
 */
public final class SessionFeatures implements SessionRows, SessionRows.Part {
  private final BarBlock rows;
  private final List<String> floatNames;
  private final List<String> doubleNames;
  private final float[][] floats;
  private final double[][] doubles;

  public SessionFeatures(BarBlock rows, List<String> floatNames, List<String> doubleNames, float[][] floats,
      double[][] doubles) {
    this.rows = rows;
    this.floatNames = List.copyOf(floatNames);
    this.doubleNames = List.copyOf(doubleNames);
    this.floats = floats;
    this.doubles = doubles;
  }

  @Override
  public BarBlock rows() {
    return rows;
  }

  @Override
  public Dataset dataset() {
    return rows.datasetEnum();
  }

  @Override
  public String session() {
    return rows.session();
  }

  @Override
  public String source() {
    return rows.source();
  }

  @Override
  public int size() {
    return rows.size();
  }

  /** Every slice is this whole block: nothing is copied. */
  @Override
  public Slice slice(int from, int to) {
    return new Slice(this, 0);
  }

  @Override
  public float floatAt(int f, int row) {
    return floats[f][row];
  }

  @Override
  public double doubleAt(int d, int row) {
    return doubles[d][row];
  }

  @Override
  public void floats(int f, int from, int n, float[] dst) {
    System.arraycopy(floats[f], from, dst, 0, n);
  }

  @Override
  public void doubles(int d, int from, int n, double[] dst) {
    System.arraycopy(doubles[d], from, dst, 0, n);
  }

  @Override
  public List<String> floatNames() {
    return floatNames;
  }

  @Override
  public List<String> doubleNames() {
    return doubleNames;
  }

  /** floats()[feature][row]. */
  public float[][] floats() {
    return floats;
  }

  /** doubles()[feature][row]. */
  public double[][] doubles() {
    return doubles;
  }

  public static final class SessionFeaturesCoder extends AtomicCoder<SessionFeatures> {
    private static final SessionFeaturesCoder INSTANCE = new SessionFeaturesCoder();

    public static SessionFeaturesCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SessionFeatures s, OutputStream out) throws IOException {
      BarBlock.BlockCoder.of().encode(s.rows, out);
      ArrayIo.writeInt(out, s.floatNames.size());
      for (int f = 0; f < s.floats.length; f++) {
        ArrayIo.writeString(out, s.floatNames.get(f));
        ArrayIo.writeFloats(out, s.floats[f]);
      }
      ArrayIo.writeInt(out, s.doubleNames.size());
      for (int d = 0; d < s.doubles.length; d++) {
        ArrayIo.writeString(out, s.doubleNames.get(d));
        ArrayIo.writeDoubles(out, s.doubles[d]);
      }
    }

    @Override
    public SessionFeatures decode(InputStream in) throws IOException {
      BarBlock rows = BarBlock.BlockCoder.of().decode(in);
      int nf = ArrayIo.readInt(in);
      List<String> fn = new ArrayList<>();
      float[][] floats = new float[nf][];
      for (int f = 0; f < nf; f++) {
        fn.add(ArrayIo.readString(in));
        floats[f] = ArrayIo.readFloats(in);
      }
      int nd = ArrayIo.readInt(in);
      List<String> dn = new ArrayList<>();
      double[][] doubles = new double[nd][];
      for (int d = 0; d < nd; d++) {
        dn.add(ArrayIo.readString(in));
        doubles[d] = ArrayIo.readDoubles(in);
      }
      return new SessionFeatures(rows, fn, dn, floats, doubles);
    }
  }
}
