package com.quantmini.transforms.model;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Bulk encoding of primitive arrays for the block coders: a length, then raw little-endian values. */
final class ArrayIo {
  private ArrayIo() {}

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

  static void writeDoubles(OutputStream out, double[] a) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 + 8 * a.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(a.length);
    buf.asDoubleBuffer().put(a);
    out.write(buf.array());
  }

  static double[] readDoubles(InputStream in) throws IOException {
    int n = readInt(in);
    byte[] b = new byte[8 * n];
    new DataInputStream(in).readFully(b);
    double[] a = new double[n];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(a);
    return a;
  }

  static void writeFloats(OutputStream out, float[] a) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 + 4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(a.length);
    buf.asFloatBuffer().put(a);
    out.write(buf.array());
  }

  static float[] readFloats(InputStream in) throws IOException {
    int n = readInt(in);
    byte[] b = new byte[4 * n];
    new DataInputStream(in).readFully(b);
    float[] a = new float[n];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
    return a;
  }

  static void writeLongs(OutputStream out, long[] a) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 + 8 * a.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(a.length);
    buf.asLongBuffer().put(a);
    out.write(buf.array());
  }

  static long[] readLongs(InputStream in) throws IOException {
    int n = readInt(in);
    byte[] b = new byte[8 * n];
    new DataInputStream(in).readFully(b);
    long[] a = new long[n];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(a);
    return a;
  }
}
