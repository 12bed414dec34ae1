package com.quantmini.transforms.model;

import com.quantmini.transforms.SymbolSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What an incremental run needs to know about each symbol of a bucket from earlier runs: its
 * instrument, the slot of its first bar ({@code origin}: the Qlib header), the raw bars of its
 * last {@link #TAIL} slots ({@code tail}, on the calendar of the run that wrote it), more than any
 * window looks back, and the {@code carry} of the features that remember more (the seed's EMA and
 * Wilder recursions, minute_volume_ratio's last bars) as it stood before the tail's first slot.
 * So a daily update reads a window per symbol, not its history.
 */
public final class SeriesState {
  public static final int TAIL = 256;

  /** One symbol's remembered series. */
  public static final class Entry {
    public final int origin;
    public final SymbolSeries tail;
    /** Feature carry before {@code tail.start}; empty when the tail starts at the origin. */
    public final double[] carry;

    public Entry(int origin, SymbolSeries tail, double[] carry) {
      this.origin = origin;
      this.tail = tail;
      this.carry = carry;
    }

    /** Whether the tail holds the whole series (no carry needed). */
    public boolean whole() {
      return tail.start <= origin;
    }

    /** Last slot of the symbol's files. */
    public int end() {
      return tail.end();
    }
  }

  private SeriesState() {}

  public static byte[] encode(List<Entry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArrayIo.writeString(out, "quantmini-series-state-v2");
    ArrayIo.writeInt(out, entries.size());
    for (Entry e : entries) {
      SymbolSeries s = e.tail;
      ArrayIo.writeString(out, s.ticker);
      ArrayIo.writeString(out, s.instrument);
      ArrayIo.writeInt(out, e.origin);
      ArrayIo.writeInt(out, s.start);
      write(out, s);
      ArrayIo.writeDoubles(out, e.carry);
    }
    return out.toByteArray();
  }

  private static void write(OutputStream out, SymbolSeries s) throws IOException {
    for (double[] col : new double[][] {s.open, s.high, s.low, s.close, s.volume, s.transactions}) {
      ArrayIo.writeDoubles(out, col);
    }
    ArrayIo.writeLongs(out, s.windowStart);
  }

  /**
   * The entries of a state file. A file cut short, with bytes after its last entry, or whose
   * columns disagree in length fails with an {@link IOException}.
   */
  public static List<Entry> decode(byte[] bytes) throws IOException {
    ArrayReader in = new ArrayReader(bytes);
    String magic = in.readString();
    // v1 had no carry: its daily tails were whole series, its minute tails had none.
    boolean v1 = magic.equals("quantmini-series-state-v1");
    if (!v1 && !magic.equals("quantmini-series-state-v2")) {
      throw new IOException("not a series state file: " + magic);
    }
    int n = in.readCount(1);
    List<Entry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String ticker = in.readString();
      String instrument = in.readString();
      int origin = in.readInt();
      int start = in.readInt();
      double[][] raw = new double[6][];
      for (int c = 0; c < 6; c++) {
        raw[c] = in.readDoubles();
      }
      long[] ws = in.readLongs();
      for (double[] col : raw) {
        if (col.length != ws.length) {
          throw new IOException(ticker + ": columns of " + col.length + " and " + ws.length + " slots");
        }
      }
      double[] carry = v1 ? new double[0] : in.readDoubles();
      out.add(new Entry(origin, new SymbolSeries(ticker, instrument, start, raw[0], raw[1], raw[2], raw[3],
          raw[4], raw[5], ws), carry));
    }
    in.end();
    return out;
  }
}
