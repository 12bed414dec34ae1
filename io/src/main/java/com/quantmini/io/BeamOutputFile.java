package com.quantmini.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/** A Parquet {@link OutputFile} on any Beam filesystem (local, s3://), so writers need no Hadoop FS. */
public final class BeamOutputFile implements OutputFile {
  private final ResourceId target;
  private OutputStream opened;

  public BeamOutputFile(ResourceId target) {
    this.target = target;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return createOrOverwrite(blockSizeHint);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    OutputStream out = Channels.newOutputStream(FileSystems.create(target, "application/octet-stream"));
    opened = out;
    return new PositionOutputStream() {
      private long pos;

      @Override
      public long getPos() {
        return pos;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        pos++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        pos += len;
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }

  /** Closes what {@link #create} opened, for a writer that failed before closing it itself. */
  public void closeQuietly() {
    if (opened != null) {
      try {
        opened.close();
      } catch (IOException e) {
        // the write already failed; its exception is the one to report
      }
    }
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return target.toString();
  }
}
