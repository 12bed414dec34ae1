package com.quantmini.transforms.model;

import java.util.List;

/**
 * The rows of one session file handed to a writer a slice at a time, so that a file merged from
 * many parts never has to exist whole on the heap (a minute session with every feature is ~1.5 GB).
 */
public interface SessionRows {
  Dataset dataset();

  String session();

  /** The source file name the Parquet footer records ("" for merged rows). */
  String source();

  List<String> floatNames();

  List<String> doubleNames();

  int size();

  /** Rows [from, to): file row {@code i} is row {@code i - first} of the slice's arrays. */
  Slice slice(int from, int to);

  /** Rows of a file, offset by {@code first}. */
  record Slice(SessionFeatures rows, int first) {}

  /** One bucket's rows of a session with its feature values, wherever they are kept. */
  interface Part {
    BarBlock rows();

    List<String> floatNames();

    List<String> doubleNames();

    /** Float feature {@code f} of row {@code row}. */
    float floatAt(int f, int row);

    /** Double feature {@code d} of row {@code row}. */
    double doubleAt(int d, int row);

    /** Float feature {@code f} of rows {@code [from, from + n)} into {@code dst[0, n)}. */
    void floats(int f, int from, int n, float[] dst);

    /** Double feature {@code d} of rows {@code [from, from + n)} into {@code dst[0, n)}. */
    void doubles(int d, int from, int n, double[] dst);
  }
}
