package com.quantmini.io;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
    return BytesInput.from(output, 0, n);
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
