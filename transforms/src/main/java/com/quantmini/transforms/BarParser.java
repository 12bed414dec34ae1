package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.CsvChunk;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.DeadLetter;
import com.quantmini.transforms.model.FileKey;
import com.quantmini.transforms.model.Reason;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * Turns the raw lines of a {@link CsvChunk} into typed bars, one row at a time on the bytes, and
 * hands every line that fails a check to {@code rejected} with its reason. Every line ends up in
 * exactly one of the two.
 */
public final class BarParser {
  private BarParser() {}

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** A row-level rejection: carries its reason without a stack trace. */
  static final class Rejection extends Exception {
    final Reason reason;

    Rejection(Reason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  /** [start, end) of the session's New York calendar day, in ns since the epoch. */
  static long[] sessionWindow(String session) {
    LocalDate d = LocalDate.parse(session);
    long start = d.atStartOfDay(NEW_YORK).toEpochSecond() * 1_000_000_000L;
    long end = d.plusDays(1).atStartOfDay(NEW_YORK).toEpochSecond() * 1_000_000_000L;
    return new long[] {start, end};
  }

  public static BarBlock parse(CsvChunk chunk, Consumer<DeadLetter> rejected) {
    FileKey file = chunk.file();
    boolean options = file.dataset().isOptions();
    long[] window = sessionWindow(file.getSession());
    BarBlock.Builder out =
        BarBlock.builder(file.getDataset(), file.getKey(), file.getSession(), chunk.lines());
    byte[] b = chunk.data();
    int[] col = chunk.columns();
    int ncol = chunk.columnCount();
    int[] starts = new int[ncol + 1];
    int[] ends = new int[ncol + 1];
    String prevTicker = null;
    int pos = 0;
    int lineNo = chunk.firstLine();
    while (pos < b.length) {
      int eol = pos;
      while (eol < b.length && b[eol] != '\n') {
        eol++;
      }
      int end = eol > pos && b[eol - 1] == '\r' ? eol - 1 : eol;
      try {
        int fields = split(b, pos, end, starts, ends);
        if (fields != ncol) {
          throw new Rejection(Reason.WRONG_COLUMN_COUNT,
              "expected " + ncol + " fields, found " + (fields > ncol ? "more" : fields));
        }
        // Precedence (testdata/README.md): empty field, bad number, not finite, then the ticker.
        for (int c = 0; c < CsvChunk.TRANSACTIONS; c++) {
          if (ends[col[c]] == starts[col[c]]) {
            throw new Rejection(Reason.EMPTY_FIELD, CsvChunk.COLUMNS[c] + " is empty");
          }
        }
        double volume = number(b, starts, ends, col[CsvChunk.VOLUME], "volume");
        double open = number(b, starts, ends, col[CsvChunk.OPEN], "open");
        double close = number(b, starts, ends, col[CsvChunk.CLOSE], "close");
        double high = number(b, starts, ends, col[CsvChunk.HIGH], "high");
        double low = number(b, starts, ends, col[CsvChunk.LOW], "low");
        long ws = integer(b, starts, ends, col[CsvChunk.WINDOW_START], "window_start");
        long tx = BarBlock.NO_VALUE;
        int txCol = col[CsvChunk.TRANSACTIONS];
        if (txCol >= 0 && ends[txCol] > starts[txCol]) {
          tx = integer(b, starts, ends, txCol, "transactions");
          if (tx < 0) {
            throw new Rejection(Reason.BAD_NUMBER, "transactions is negative");
          }
        }
        checkFinite(open, high, low, close, volume);
        int ts = starts[col[CsvChunk.TICKER]];
        int te = ends[col[CsvChunk.TICKER]];
        String ticker = prevTicker != null && sameBytes(prevTicker, b, ts, te)
            ? prevTicker : new String(b, ts, te - ts, StandardCharsets.UTF_8);
        String bad = Tickers.problem(ticker);
        if (bad != null) {
          throw new Rejection(Reason.BAD_TICKER, bad);
        }
        if (options && ticker != prevTicker && OptionsTicker.parse(ticker) == null) {
          throw new Rejection(Reason.BAD_OPTIONS_TICKER, "not O:<root><YYMMDD><C|P><8-digit strike>");
        }
        check(open, high, low, close, volume);
        if (ws < window[0] || ws >= window[1]) {
          throw new Rejection(Reason.WRONG_SESSION,
              "window_start " + ws + " is not on session " + file.getSession() + " (New York time)");
        }
        out.add(ticker, ws, open, high, low, close, volume, tx, lineNo);
        prevTicker = ticker;
      } catch (Rejection r) {
        rejected.accept(DeadLetter.of(file, lineNo, r.reason, r.getMessage(),
            new String(b, pos, end - pos, StandardCharsets.UTF_8)));
      }
      pos = eol + 1;
      lineNo++;
    }
    return out.build();
  }

  private static void checkFinite(double open, double high, double low, double close,
      double volume) throws Rejection {
    if (!Double.isFinite(open) || !Double.isFinite(high) || !Double.isFinite(low)
        || !Double.isFinite(close) || !Double.isFinite(volume)) {
      throw new Rejection(Reason.NOT_FINITE, "a price or the volume is NaN or infinite");
    }
  }

  private static void check(double open, double high, double low, double close, double volume)
      throws Rejection {
    if (open < 0 || high < 0 || low < 0 || close < 0) {
      throw new Rejection(Reason.NEGATIVE_PRICE, "a price is negative");
    }
    if (volume < 0) {
      throw new Rejection(Reason.NEGATIVE_VOLUME, "volume is negative");
    }
    if (high < low) {
      throw new Rejection(Reason.HIGH_BELOW_LOW, "high " + high + " < low " + low);
    }
    if (open < low || open > high || close < low || close > high) {
      throw new Rejection(Reason.OPEN_CLOSE_OUTSIDE_RANGE, "open or close outside [low, high]");
    }
  }

  private static double number(byte[] b, int[] starts, int[] ends, int c, String name)
      throws Rejection {
    if (ends[c] == starts[c]) {
      throw new Rejection(Reason.EMPTY_FIELD, name + " is empty");
    }
    try {
      return Numbers.parseDouble(b, starts[c], ends[c]);
    } catch (Numbers.NotANumber e) {
      throw new Rejection(Reason.BAD_NUMBER, name + " is not a number");
    }
  }

  private static long integer(byte[] b, int[] starts, int[] ends, int c, String name)
      throws Rejection {
    if (ends[c] == starts[c]) {
      throw new Rejection(Reason.EMPTY_FIELD, name + " is empty");
    }
    try {
      return Numbers.parseLong(b, starts[c], ends[c]);
    } catch (Numbers.NotANumber e) {
      throw new Rejection(Reason.BAD_NUMBER, name + " is not an integer");
    }
  }

  /** Splits [from, to) at commas; returns the field count (capped at starts.length). */
  private static int split(byte[] b, int from, int to, int[] starts, int[] ends) {
    int n = 0;
    int s = from;
    for (int i = from; i <= to; i++) {
      if (i == to || b[i] == ',') {
        if (n == starts.length) {
          return n;
        }
        starts[n] = s;
        ends[n] = i;
        n++;
        s = i + 1;
      }
    }
    return n;
  }

  private static boolean sameBytes(String s, byte[] b, int from, int to) {
    int n = to - from;
    if (s.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) != b[from + i]) {
        return false;
      }
    }
    return true;
  }

  /** Dataset of a chunk, for callers that only hold the chunk. */
  static Dataset dataset(CsvChunk chunk) {
    return chunk.file().dataset();
  }
}
