package com.quantmini.transforms.model;

import com.quantmini.transforms.SymbolSeries;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What an incremental run needs to know about each symbol of a bucket from earlier runs: its
 * instrument, the slot of its first bar ({@code origin}: the Qlib header), and the raw bars of its
 * last slots ({@code tail}, on the calendar of the run that wrote it). Daily datasets keep the
 * whole series (the seed's EMA and Wilder features remember all of it); minute datasets keep the
 * last {@link #MINUTE_TAIL} slots, more than any minute feature looks back.
 */
public final class SeriesState {
  public static final int MINUTE_TAIL = 256;

  /** One symbol's remembered series. */
  public static final class Entry {
    public final int origin;
    public final SymbolSeries tail;

    public Entry(int origin, SymbolSeries tail) {
      this.origin = origin;
      this.tail = tail;
    }

    /** Last slot of the symbol's files. */
    public int end() {
      return tail.end();
    }
  }

  private SeriesState() {}

  public static byte[] encode(List<Entry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArrayIo.writeString(out, "quantmini-series-state-v1");
    ArrayIo.writeInt(out, entries.size());
    for (Entry e : entries) {
      SymbolSeries s = e.tail;
      ArrayIo.writeString(out, s.ticker);
      ArrayIo.writeString(out, s.instrument);
      ArrayIo.writeInt(out, e.origin);
      ArrayIo.writeInt(out, s.start);
      write(out, s);
    }
    return out.toByteArray();
  }

  private static void write(OutputStream out, SymbolSeries s) throws IOException {
    for (double[] col : new double[][] {s.open, s.high, s.low, s.close, s.volume, s.transactions}) {
      ArrayIo.writeDoubles(out, col);
    }
    ArrayIo.writeLongs(out, s.windowStart);
  }

  public static List<Entry> decode(byte[] bytes) throws IOException {
    InputStream in = new ByteArrayInputStream(bytes);
    String magic = ArrayIo.readString(in);
    if (!magic.equals("quantmini-series-state-v1")) {
      throw new IOException("not a series state file: " + magic);
    }
    int n = ArrayIo.readInt(in);
    List<Entry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String ticker = ArrayIo.readString(in);
      String instrument = ArrayIo.readString(in);
      int origin = ArrayIo.readInt(in);
      int start = ArrayIo.readInt(in);
      double[][] raw = new double[6][];
      for (int c = 0; c < 6; c++) {
        raw[c] = ArrayIo.readDoubles(in);
      }
      long[] ws = ArrayIo.readLongs(in);
      out.add(new Entry(origin, new SymbolSeries(ticker, instrument, start, raw[0], raw[1], raw[2], raw[3],
          raw[4], raw[5], ws)));
    }
    return out;
  }
}
