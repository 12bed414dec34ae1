package com.quantmini.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * A columnar batch of validated bars from one source file (one dataset, one session): thousands of
 * rows per element so that per-row work stays on primitive arrays. Arrays are shared, never copied:
 * nobody may modify them after the block is built. {@code transactions} holds {@link #NO_VALUE}
 * where the source had none. A block flagged {@link #isLast()} carries no rows and certifies that
 * its source file was read completely.
 */
public final class BarBlock {
  /** Marks a missing transactions count. */
  public static final long NO_VALUE = Long.MIN_VALUE;

  private final String dataset;
  private final String source;
  private final String session;
  private final boolean last;
  private final int size;
  private final String[] ticker;
  private final long[] windowStart;
  private final double[] open;
  private final double[] high;
  private final double[] low;
  private final double[] close;
  private final double[] volume;
  private final long[] transactions;
  private final int[] line;

  private BarBlock(
      String dataset, String source, String session, boolean last, int size, String[] ticker,
      long[] windowStart, double[] open, double[] high, double[] low, double[] close,
      double[] volume, long[] transactions, int[] line) {
    this.dataset = dataset;
    this.source = source;
    this.session = session;
    this.last = last;
    this.size = size;
    this.ticker = ticker;
    this.windowStart = windowStart;
    this.open = open;
    this.high = high;
    this.low = low;
    this.close = close;
    this.volume = volume;
    this.transactions = transactions;
    this.line = line;
  }

  /**
   * The end-of-file marker for {@code source}: it read {@code lines} data lines, and the object had
   * {@code sizeBytes} and {@code etag} (what the manifest records).
   */
  public static BarBlock endOfFile(String dataset, String source, String session, int lines, long sizeBytes,
      String etag) {
    return new BarBlock(dataset, source, session, true, 0, new String[] {etag}, new long[] {sizeBytes},
        new double[0], new double[0], new double[0], new double[0], new double[0], new long[0], new int[] {lines});
  }

  /** For an end marker: the object's ETag (or checksum). */
  public String fileEtag() {
    return last ? ticker[0] : null;
  }

  /** For an end marker: the object's size. */
  public long fileSize() {
    return last ? windowStart[0] : 0;
  }

  public String dataset() {
    return dataset;
  }

  public Dataset datasetEnum() {
    return Dataset.valueOf(dataset);
  }

  /** Object key of the source file. */
  public String source() {
    return source;
  }

  /** Session date, ISO {@code YYYY-MM-DD}. */
  public String session() {
    return session;
  }

  public boolean isLast() {
    return last;
  }

  /** For an end marker: how many data lines its file held. */
  public int fileLines() {
    return last ? line[0] : 0;
  }

  public int size() {
    return size;
  }

  public String ticker(int i) {
    return ticker[i];
  }

  public long windowStart(int i) {
    return windowStart[i];
  }

  public double open(int i) {
    return open[i];
  }

  public double high(int i) {
    return high[i];
  }

  public double low(int i) {
    return low[i];
  }

  public double close(int i) {
    return close[i];
  }

  public double volume(int i) {
    return volume[i];
  }

  public long transactions(int i) {
    return transactions[i];
  }

  public boolean hasTransactions(int i) {
    return transactions[i] != NO_VALUE;
  }

  /** Source line of row i (header = 1). */
  public int line(int i) {
    return line[i];
  }

  /** True when row i and row j of {@code other} carry the same values (ticker and time excluded). */
  public boolean sameValues(int i, BarBlock other, int j) {
    return Double.compare(open[i], other.open[j]) == 0
        && Double.compare(high[i], other.high[j]) == 0
        && Double.compare(low[i], other.low[j]) == 0
        && Double.compare(close[i], other.close[j]) == 0
        && Double.compare(volume[i], other.volume[j]) == 0
        && transactions[i] == other.transactions[j];
  }

  /** Renders row i back as a CSV line in the canonical column order (for quarantine records). */
  public String render(int i) {
    return ticker[i] + "," + num(volume[i]) + "," + num(open[i]) + "," + num(close[i]) + ","
        + num(high[i]) + "," + num(low[i]) + "," + windowStart[i] + ","
        + (hasTransactions(i) ? Long.toString(transactions[i]) : "");
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  public static Builder builder(String dataset, String source, String session, int capacity) {
    return new Builder(dataset, source, session, capacity);
  }

  /** Growable column buffers; {@link #build()} trims them into an immutable block. */
  public static final class Builder {
    private final String dataset;
    private final String source;
    private final String session;
    private int size;
    private String[] ticker;
    private long[] windowStart;
    private double[] open;
    private double[] high;
    private double[] low;
    private double[] close;
    private double[] volume;
    private long[] transactions;
    private int[] line;

    private Builder(String dataset, String source, String session, int capacity) {
      this.dataset = dataset;
      this.source = source;
      this.session = session;
      int c = Math.max(16, capacity);
      ticker = new String[c];
      windowStart = new long[c];
      open = new double[c];
      high = new double[c];
      low = new double[c];
      close = new double[c];
      volume = new double[c];
      transactions = new long[c];
      line = new int[c];
    }

    public int size() {
      return size;
    }

    public Builder add(String t, long ws, double o, double h, double l, double c, double v, long tx,
        int ln) {
      if (size == ticker.length) {
        grow();
      }
      ticker[size] = t;
      windowStart[size] = ws;
      open[size] = o;
      high[size] = h;
      low[size] = l;
      close[size] = c;
      volume[size] = v;
      transactions[size] = tx;
      line[size] = ln;
      size++;
      return this;
    }

    /** Appends row i of {@code b}. */
    public Builder add(BarBlock b, int i) {
      return add(b.ticker[i], b.windowStart[i], b.open[i], b.high[i], b.low[i], b.close[i],
          b.volume[i], b.transactions[i], b.line[i]);
    }

    private void grow() {
      int c = ticker.length * 2;
      ticker = Arrays.copyOf(ticker, c);
      windowStart = Arrays.copyOf(windowStart, c);
      open = Arrays.copyOf(open, c);
      high = Arrays.copyOf(high, c);
      low = Arrays.copyOf(low, c);
      close = Arrays.copyOf(close, c);
      volume = Arrays.copyOf(volume, c);
      transactions = Arrays.copyOf(transactions, c);
      line = Arrays.copyOf(line, c);
    }

    public BarBlock build() {
      return new BarBlock(dataset, source, session, false, size, Arrays.copyOf(ticker, size),
          Arrays.copyOf(windowStart, size), Arrays.copyOf(open, size), Arrays.copyOf(high, size),
          Arrays.copyOf(low, size), Arrays.copyOf(close, size), Arrays.copyOf(volume, size),
          Arrays.copyOf(transactions, size), Arrays.copyOf(line, size));
    }
  }

  /** Columnar coder: tickers through a per-block dictionary, numbers as raw 8-byte values. */
  public static final class BlockCoder extends AtomicCoder<BarBlock> {
    private static final BlockCoder INSTANCE = new BlockCoder();
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Integer> INT = VarIntCoder.of();

    public static BlockCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(BarBlock b, OutputStream outStream) throws IOException {
      STRING.encode(b.dataset, outStream);
      STRING.encode(b.source, outStream);
      STRING.encode(b.session, outStream);
      outStream.write(b.last ? 1 : 0);
      INT.encode(b.size, outStream);
      if (b.last) {
        INT.encode(b.line[0], outStream);
        STRING.encode(b.ticker[0], outStream);
        new DataOutputStream(outStream).writeLong(b.windowStart[0]);
        return;
      }
      // Rows come in runs of one ticker: the dictionary is looked up once a run.
      Map<String, Integer> dict = new HashMap<>();
      int[] ids = new int[b.size];
      String[] order = new String[b.size];
      String prev = null;
      int id = -1;
      for (int i = 0; i < b.size; i++) {
        String t = b.ticker[i];
        if (!t.equals(prev)) {
          Integer known = dict.get(t);
          if (known == null) {
            known = dict.size();
            dict.put(t, known);
            order[known] = t;
          }
          id = known;
          prev = t;
        }
        ids[i] = id;
      }
      INT.encode(dict.size(), outStream);
      for (int k = 0; k < dict.size(); k++) {
        STRING.encode(order[k], outStream);
      }
      ArrayIo.writeInts(outStream, ids);
      ArrayIo.writeLongs(outStream, b.windowStart);
      ArrayIo.writeDoubles(outStream, b.open);
      ArrayIo.writeDoubles(outStream, b.high);
      ArrayIo.writeDoubles(outStream, b.low);
      ArrayIo.writeDoubles(outStream, b.close);
      ArrayIo.writeDoubles(outStream, b.volume);
      ArrayIo.writeLongs(outStream, b.transactions);
      ArrayIo.writeInts(outStream, b.line);
    }

    @Override
    public BarBlock decode(InputStream inStream) throws IOException {
      String dataset = STRING.decode(inStream);
      String source = STRING.decode(inStream);
      String session = STRING.decode(inStream);
      boolean last = inStream.read() == 1;
      int size = INT.decode(inStream);
      if (last) {
        int lines = INT.decode(inStream);
        String etag = STRING.decode(inStream);
        long sizeBytes = new DataInputStream(inStream).readLong();
        return endOfFile(dataset, source, session, lines, sizeBytes, etag);
      }
      String[] dict = new String[INT.decode(inStream)];
      for (int k = 0; k < dict.length; k++) {
        dict[k] = STRING.decode(inStream);
      }
      int[] ids = ArrayIo.readInts(inStream);
      String[] ticker = new String[ids.length];
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] < 0 || ids[i] >= dict.length) {
          throw new IOException("ticker id " + ids[i] + " outside a dictionary of " + dict.length);
        }
        ticker[i] = dict[ids[i]];
      }
      BarBlock b = new BarBlock(dataset, source, session, false, size, ticker, ArrayIo.readLongs(inStream),
          ArrayIo.readDoubles(inStream), ArrayIo.readDoubles(inStream), ArrayIo.readDoubles(inStream),
          ArrayIo.readDoubles(inStream), ArrayIo.readDoubles(inStream), ArrayIo.readLongs(inStream),
          ArrayIo.readInts(inStream));
      if (ids.length != size || b.windowStart.length != size || b.open.length != size || b.high.length != size
          || b.low.length != size || b.close.length != size || b.volume.length != size
          || b.transactions.length != size || b.line.length != size) {
        throw new IOException("a bar block of " + size + " rows with columns of other lengths");
      }
      return b;
    }
  }
}
