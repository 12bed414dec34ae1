package com.quantmini.transforms.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * A run of whole CSV lines of one source file, as raw bytes, plus where the columns sit. A file is
 * read as many data chunks followed by one {@link #isLast() last} chunk that carries no data and
 * certifies that the whole file was read; a file without it was rejected and none of its rows may
 * reach the lake.
 */
public final class CsvChunk {
  /** Canonical column order; {@link #columns()} maps each to its position in the file's header. */
  public static final String[] COLUMNS = {
    "ticker", "volume", "open", "close", "high", "low", "window_start", "transactions"
  };

  public static final int TICKER = 0;
  public static final int VOLUME = 1;
  public static final int OPEN = 2;
  public static final int CLOSE = 3;
  public static final int HIGH = 4;
  public static final int LOW = 5;
  public static final int WINDOW_START = 6;
  public static final int TRANSACTIONS = 7;

  private final FileKey file;
  private final int firstLine;
  private final int lines;
  private final byte[] data;
  private final int[] columns;
  private final int columnCount;
  private final boolean last;

  private CsvChunk(
      FileKey file, int firstLine, int lines, byte[] data, int[] columns, int columnCount, boolean last) {
    this.file = file;
    this.firstLine = firstLine;
    this.lines = lines;
    this.data = data;
    this.columns = columns;
    this.columnCount = columnCount;
    this.last = last;
  }

  /** Lines {@code firstLine .. firstLine+lines-1} of the file (header = line 1), each ended by '\n'. */
  public static CsvChunk data(
      FileKey file, int firstLine, int lines, byte[] data, int[] columns, int columnCount) {
    return new CsvChunk(file, firstLine, lines, data, columns, columnCount, false);
  }

  /** The end marker: the file was read to its end and held {@code totalLines} lines after the header. */
  public static CsvChunk last(FileKey file, int totalLines, int[] columns, int columnCount) {
    return new CsvChunk(file, 0, totalLines, new byte[0], columns, columnCount, true);
  }

  public FileKey file() {
    return file;
  }

  public int firstLine() {
    return firstLine;
  }

  public int lines() {
    return lines;
  }

  /** The raw bytes; callers must not modify them. */
  public byte[] data() {
    return data;
  }

  /** Header position of each canonical column, -1 for an optional column the file lacks. */
  public int[] columns() {
    return columns;
  }

  public int columnCount() {
    return columnCount;
  }

  public boolean isLast() {
    return last;
  }

  /** Compact coder: the file key once, then the raw bytes. */
  public static final class ChunkCoder extends AtomicCoder<CsvChunk> {
    private static final ChunkCoder INSTANCE = new ChunkCoder();
    private static final Coder<Integer> INT = VarIntCoder.of();
    private static final Coder<byte[]> BYTES = ByteArrayCoder.of();

    public static ChunkCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(CsvChunk c, OutputStream out) throws IOException {
      ModelCoders.FILE_KEY.encode(c.file, out);
      INT.encode(c.firstLine, out);
      INT.encode(c.lines, out);
      INT.encode(c.columnCount, out);
      for (int col : c.columns) {
        INT.encode(col + 1, out);
      }
      out.write(c.last ? 1 : 0);
      BYTES.encode(c.data, out);
    }

    @Override
    public CsvChunk decode(InputStream in) throws IOException {
      FileKey file = ModelCoders.FILE_KEY.decode(in);
      int firstLine = INT.decode(in);
      int lines = INT.decode(in);
      int columnCount = INT.decode(in);
      int[] columns = new int[COLUMNS.length];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = INT.decode(in) - 1;
      }
      boolean last = in.read() == 1;
      byte[] data = BYTES.decode(in);
      return new CsvChunk(file, firstLine, lines, data, columns, columnCount, last);
    }
  }
}
