package com.quantmini.transforms.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Hand-written coders for the small model records that ride inside the block coders. */
public final class ModelCoders {
  private ModelCoders() {}

  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<Long> LONG = VarLongCoder.of();

  /** Field-by-field {@link FileKey} coder, cheaper than a schema row per chunk. */
  public static final Coder<FileKey> FILE_KEY =
      new AtomicCoder<FileKey>() {
        @Override
        public void encode(FileKey k, OutputStream out) throws IOException {
          STRING.encode(k.getDataset(), out);
          STRING.encode(k.getKey(), out);
          STRING.encode(k.getResource(), out);
          STRING.encode(k.getSession(), out);
          LONG.encode(k.getSizeBytes(), out);
          STRING.encode(k.getEtag(), out);
        }

        @Override
        public FileKey decode(InputStream in) throws IOException {
          return FileKey.builder()
              .setDataset(STRING.decode(in))
              .setKey(STRING.decode(in))
              .setResource(STRING.decode(in))
              .setSession(STRING.decode(in))
              .setSizeBytes(LONG.decode(in))
              .setEtag(STRING.decode(in))
              .build();
        }
      };
}
