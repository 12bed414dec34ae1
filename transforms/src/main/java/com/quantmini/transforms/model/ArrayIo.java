package com.quantmini.transforms.model;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bulk encoding of primitive arrays for the block coders: a length, then raw little-endian values,
 * moved through a small buffer so a column of millions of values needs no copy of its own size.
 */
final class ArrayIo {
  private ArrayIo() {}

  /** Values per pass through the buffer. */
  private static final int STEP = 8192;

  static void writeInt(OutputStream out, int v) throws IOException {
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
  }

  static int readInt(InputStream in) throws IOException {
    byte[] b = new byte[4];
    new DataInputStream(in).readFully(b);
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  static void writeString(OutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeInt(out, b.length);
    out.write(b);
  }

  static String readString(InputStream in) throws IOException {
    byte[] b = new byte[readInt(in)];
    new DataInputStream(in).readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static ByteBuffer buffer(int values, int width) {
    return ByteBuffer.allocate(Math.min(values, STEP) * width).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Reads {@code bytes} bytes into the buffer and makes them its content. */
  private static ByteBuffer fill(DataInputStream in, ByteBuffer buf, int bytes) throws IOException {
    in.readFully(buf.array(), 0, bytes);
    buf.clear().limit(bytes);
    return buf;
  }

  private static int length(InputStream in) throws IOException {
    int n = readInt(in);
    if (n < 0) {
      throw new IOException("negative array length " + n);
    }
    return n;
  }

  /** Moves {@code count} values from index {@code from} between an array and the buffer. */
  interface Slice {
    void move(ByteBuffer buf, int from, int count);
  }

  static void write(OutputStream out, int n, int width, Slice put) throws IOException {
    writeInt(out, n);
    ByteBuffer buf = buffer(n, width);
    for (int i = 0; i < n; i += STEP) {
      int m = Math.min(STEP, n - i);
      buf.clear();
      put.move(buf, i, m);
      out.write(buf.array(), 0, m * width);
    }
  }

  static void read(InputStream in, int n, int width, Slice get) throws IOException {
    ByteBuffer buf = buffer(n, width);
    DataInputStream din = new DataInputStream(in);
    for (int i = 0; i < n; i += STEP) {
      int m = Math.min(STEP, n - i);
      get.move(fill(din, buf, m * width), i, m);
    }
  }

  static void writeDoubles(OutputStream out, double[] a) throws IOException {
    write(out, a.length, 8, (buf, i, m) -> buf.asDoubleBuffer().put(a, i, m));
  }

  static double[] readDoubles(InputStream in) throws IOException {
    double[] a = new double[length(in)];
    read(in, a.length, 8, (buf, i, m) -> buf.asDoubleBuffer().get(a, i, m));
    return a;
  }

  static void writeFloats(OutputStream out, float[] a) throws IOException {
    write(out, a.length, 4, (buf, i, m) -> buf.asFloatBuffer().put(a, i, m));
  }

  static float[] readFloats(InputStream in) throws IOException {
    float[] a = new float[length(in)];
    read(in, a.length, 4, (buf, i, m) -> buf.asFloatBuffer().get(a, i, m));
    return a;
  }

  static void writeLongs(OutputStream out, long[] a) throws IOException {
    write(out, a.length, 8, (buf, i, m) -> buf.asLongBuffer().put(a, i, m));
  }

  static long[] readLongs(InputStream in) throws IOException {
    long[] a = new long[length(in)];
    read(in, a.length, 8, (buf, i, m) -> buf.asLongBuffer().get(a, i, m));
    return a;
  }

  static void writeInts(OutputStream out, int[] a) throws IOException {
    write(out, a.length, 4, (buf, i, m) -> buf.asIntBuffer().put(a, i, m));
  }

  static int[] readInts(InputStream in) throws IOException {
    int[] a = new int[length(in)];
    read(in, a.length, 4, (buf, i, m) -> buf.asIntBuffer().get(a, i, m));
    return a;
  }
}
