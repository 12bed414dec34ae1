package com.quantmini.transforms.model;

import com.quantmini.transforms.SymbolSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The raw bars one run added to a daily bucket: its sessions (also those where the bucket had no
 * bar, so a republished session that lost a symbol replaces the old bars) and each symbol's bars of
 * those sessions, keyed by calendar time. A daily bucket's segments, newest last, give its whole
 * history: only a back-fill older than the remembered tails reads them, so a daily update writes one
 * small segment instead of rewriting the history.
 */
public final class SeriesHistory {
  private static final String MAGIC = "quantmini-series-history-v1";

  private SeriesHistory() {}

  /** One symbol's bars of a segment: their calendar times, six value columns and window_start. */
  public static final class Bars {
    final String ticker;
    final String instrument;
    final long[] time;
    final double[][] values;
    final long[] windowStart;

    Bars(String ticker, String instrument, long[] time, double[][] values, long[] windowStart) {
      this.ticker = ticker;
      this.instrument = instrument;
      this.time = time;
      this.values = values;
      this.windowStart = windowStart;
    }

    /** The bars of {@code s} at the slots {@code fresh} marks (indices on {@code calendar}); null when none. */
    public static Bars of(SymbolSeries s, long[] calendar, boolean[] fresh) {
      int n = 0;
      for (int k = 0; k < s.length(); k++) {
        if (s.hasBar(k) && fresh[s.start + k]) {
          n++;
        }
      }
      if (n == 0) {
        return null;
      }
      long[] time = new long[n];
      double[][] values = new double[6][n];
      long[] ws = new long[n];
      double[][] cols = {s.open, s.high, s.low, s.close, s.volume, s.transactions};
      int j = 0;
      for (int k = 0; k < s.length(); k++) {
        if (s.hasBar(k) && fresh[s.start + k]) {
          time[j] = calendar[s.start + k];
          for (int c = 0; c < 6; c++) {
            values[c][j] = cols[c][k];
          }
          ws[j++] = s.windowStart[k];
        }
      }
      return new Bars(s.ticker, s.instrument, time, values, ws);
    }
  }

  public static byte[] encode(List<String> sessions, List<Bars> bars) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArrayIo.writeString(out, MAGIC);
    ArrayIo.writeInt(out, sessions.size());
    for (String s : sessions) {
      ArrayIo.writeString(out, s);
    }
    ArrayIo.writeInt(out, bars.size());
    for (Bars b : bars) {
      ArrayIo.writeString(out, b.ticker);
      ArrayIo.writeString(out, b.instrument);
      ArrayIo.writeLongs(out, b.time);
      for (double[] v : b.values) {
        ArrayIo.writeDoubles(out, v);
      }
      ArrayIo.writeLongs(out, b.windowStart);
    }
    return out.toByteArray();
  }

  /** A segment file's bytes and its name (for errors). */
  public record Segment(String name, byte[] bytes) {}

  /**
   * Replays segments oldest first: a session listed by a later segment drops every bar an earlier
   * one had for it. Returns each symbol's whole series on {@code calendar} (a daily calendar of epoch
   * days) as state entries that start at their first bar, with no carry. A damaged segment fails
   * with an {@link IOException} naming it.
   */
  public static List<SeriesState.Entry> replay(List<Segment> segments, long[] calendar) throws IOException {
    Map<Long, Map<String, Object[]>> byDay = new TreeMap<>(); // day → ticker → {instrument, row, ws}
    for (Segment seg : segments) {
      try {
        read(seg.bytes(), byDay);
      } catch (IOException e) {
        throw new IOException("history segment " + seg.name() + " is unreadable: " + e.getMessage(), e);
      }
    }
    Map<String, List<long[]>> slots = new TreeMap<>(); // ticker → {slot, day}
    for (Map.Entry<Long, Map<String, Object[]>> d : byDay.entrySet()) {
      int slot = Arrays.binarySearch(calendar, d.getKey());
      if (slot < 0 && !d.getValue().isEmpty()) {
        throw new IOException("history holds bars of day " + d.getKey() + ", which the state calendar lacks"
            + " (the _state folder was changed by hand)");
      }
      for (String t : d.getValue().keySet()) {
        slots.computeIfAbsent(t, k -> new ArrayList<>()).add(new long[] {slot, d.getKey()});
      }
    }
    List<SeriesState.Entry> out = new ArrayList<>();
    for (Map.Entry<String, List<long[]>> e : slots.entrySet()) {
      List<long[]> s = e.getValue(); // in day order, so in slot order
      int first = (int) s.get(0)[0];
      int last = (int) s.get(s.size() - 1)[0];
      SymbolSeries series = null;
      for (long[] x : s) {
        Object[] bar = byDay.get(x[1]).get(e.getKey());
        if (series == null) {
          series = SymbolSeries.empty(e.getKey(), (String) bar[0], first, last - first + 1);
        }
        series.set((int) x[0] - first, (double[]) bar[1], (Long) bar[2]);
      }
      out.add(new SeriesState.Entry(first, series, new double[0]));
    }
    return out;
  }

  /** Lays one segment over {@code byDay}: its sessions first lose what earlier segments had for them. */
  private static void read(byte[] segment, Map<Long, Map<String, Object[]>> byDay) throws IOException {
    ArrayReader in = new ArrayReader(segment);
    String magic = in.readString();
    if (!magic.equals(MAGIC)) {
      throw new IOException("not a series history segment: " + magic);
    }
    int ns = in.readCount(4);
    for (int i = 0; i < ns; i++) {
      String session = in.readString();
      try {
        byDay.put(LocalDate.parse(session).toEpochDay(), new HashMap<>());
      } catch (DateTimeParseException e) {
        throw new IOException("session " + i + " is not a date: " + session, e);
      }
    }
    int nb = in.readCount(4);
    for (int i = 0; i < nb; i++) {
      String ticker = in.readString();
      String instrument = in.readString();
      long[] time = in.readLongs();
      double[][] values = new double[6][];
      for (int c = 0; c < 6; c++) {
        values[c] = in.readDoubles();
      }
      long[] ws = in.readLongs();
      for (double[] v : values) {
        if (v.length != time.length || ws.length != time.length) {
          throw new IOException(ticker + ": columns of " + v.length + ", " + ws.length + " and " + time.length + " bars");
        }
      }
      for (int j = 0; j < time.length; j++) {
        Map<String, Object[]> day = byDay.get(time[j]);
        if (day == null) {
          throw new IOException(ticker + " has a bar of day " + time[j] + ", a session no segment lists");
        }
        double[] row = new double[6];
        for (int c = 0; c < 6; c++) {
          row[c] = values[c][j];
        }
        day.put(ticker, new Object[] {instrument, row, ws[j]});
      }
    }
    in.end();
  }
}
