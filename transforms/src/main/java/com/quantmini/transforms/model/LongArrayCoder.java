package com.quantmini.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** A long[] as a length and raw 8-byte values. */
public final class LongArrayCoder extends AtomicCoder<long[]> {
  private static final LongArrayCoder INSTANCE = new LongArrayCoder();

  public static LongArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(long[] value, OutputStream outStream) throws IOException {
    VarIntCoder.of().encode(value.length, outStream);
    DataOutputStream out = new DataOutputStream(outStream);
    for (long v : value) {
      out.writeLong(v);
    }
    out.flush();
  }

  @Override
  public long[] decode(InputStream inStream) throws IOException {
    long[] v = new long[VarIntCoder.of().decode(inStream)];
    DataInputStream in = new DataInputStream(inStream);
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readLong();
    }
    return v;
  }
}
