package com.quantmini.transforms.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@link ArrayIo}'s encoding from a whole file held in memory. A length that is negative or
 * runs past the end, a value cut short, and bytes left after the last value all fail with an
 * {@link IOException}: a truncated or damaged state file must not decode into other values, nor
 * allocate what a damaged length claims.
 */
final class ArrayReader {
  private final ByteBuffer buf;

  ArrayReader(byte[] bytes) {
    buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  int readInt() throws IOException {
    if (buf.remaining() < 4) {
      throw new IOException("truncated at byte " + buf.position() + " of " + buf.limit());
    }
    return buf.getInt();
  }

  /** A count of items that take at least {@code minBytes} each. */
  int readCount(int minBytes) throws IOException {
    int at = buf.position();
    int n = readInt();
    if (n < 0 || n > buf.remaining() / minBytes) {
      throw new IOException("count " + n + " at byte " + at + " does not fit the " + buf.remaining()
          + " bytes left (truncated or damaged)");
    }
    return n;
  }

  String readString() throws IOException {
    byte[] b = new byte[readCount(1)];
    buf.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  double[] readDoubles() throws IOException {
    double[] a = new double[readCount(8)];
    buf.asDoubleBuffer().get(a);
    buf.position(buf.position() + 8 * a.length);
    return a;
  }

  long[] readLongs() throws IOException {
    long[] a = new long[readCount(8)];
    buf.asLongBuffer().get(a);
    buf.position(buf.position() + 8 * a.length);
    return a;
  }

  /** Fails unless every byte was read: a longer file is not the one that was written. */
  void end() throws IOException {
    if (buf.hasRemaining()) {
      throw new IOException(buf.remaining() + " bytes after the end of the data");
    }
  }
}
