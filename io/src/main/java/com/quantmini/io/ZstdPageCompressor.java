package com.quantmini.io;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Compresses Parquet pages with zstd at a given level through one reused zstd-jni context. Not
 * parquet-java's own codec: that one is cached once per JVM with the level of the first
 * configuration it saw (a level set per file is ignored) and opens a new stream for every page.
 * One instance per file and thread; the returned bytes are valid until the next call, which is
 * all the page store needs (it copies them).
 */
final class ZstdPageCompressor extends CodecFactory.BytesCompressor {
  private final ZstdCompressCtx ctx;
  private final Input input = new Input();
  private byte[] output = new byte[0];

  ZstdPageCompressor(int level) {
    this.ctx = new ZstdCompressCtx().setLevel(level);
  }

  @Override
  public BytesInput compress(BytesInput bytes) throws IOException {
    input.reset();
    bytes.writeAllTo(input);
    int bound = (int) Zstd.compressBound(input.size());
    if (output.length < bound) {
      output = new byte[bound];
    }
    int n = ctx.compressByteArray(output, 0, output.length, input.bytes(), 0, input.size());
    return new Compressed(output, n);
  }

  /**
   * A compressed page whose byte array is made once: the page store asks for it twice (the page's
   * CRC, then the copy it keeps), and parquet-java's default copies the bytes each time.
   */
  private static final class Compressed extends BytesInput {
    private final byte[] buf;
    private final int size;
    private byte[] exact;

    Compressed(byte[] buf, int size) {
      this.buf = buf;
      this.size = size;
    }

    @Override
    public void writeAllTo(OutputStream out) throws IOException {
      out.write(buf, 0, size);
    }

    @Override
    public long size() {
      return size;
    }

    /** A copy of the page's bytes that the next page does not overwrite; the same array on every call. */
    @Override
    public byte[] toByteArray() {
      if (exact == null) {
        exact = Arrays.copyOf(buf, size);
      }
      return exact;
    }
  }

  @Override
  public CompressionCodecName getCodecName() {
    return CompressionCodecName.ZSTD;
  }

  @Override
  public void release() {
    ctx.close();
  }

  /** A byte sink whose buffer is reused from page to page. */
  private static final class Input extends ByteArrayOutputStream {
    Input() {
      super(1 << 20);
    }

    byte[] bytes() {
      return buf;
    }
  }
}
