package com.quantmini.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** A local file as Parquet's {@link InputFile}, without Hadoop's file systems. */
public final class LocalInputFile implements InputFile {
  private final Path path;

  public LocalInputFile(Path path) {
    this.path = path;
  }

  @Override
  public long getLength() throws IOException {
    return Files.size(path);
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    InputStream in = Channels.newInputStream(ch);
    return new DelegatingSeekableInputStream(in) {
      @Override
      public long getPos() throws IOException {
        return ch.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        ch.position(newPos);
      }
    };
  }
}
