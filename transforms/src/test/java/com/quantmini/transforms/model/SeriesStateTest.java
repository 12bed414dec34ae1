package com.quantmini.transforms.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.SymbolSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state file of a bucket: what is written is read back, and a damaged file is refused. */
class SeriesStateTest {
  private static final double NAN = Double.NaN;

  /** AAPL from slot 5: bars in slots 5 and 7, none in 6; its carry before slot 5. */
  static SeriesState.Entry aapl() {
    SymbolSeries s = new SymbolSeries("AAPL", "AAPL", 5, new double[] {10, NAN, 12}, new double[] {11, NAN, 13},
        new double[] {9, NAN, 11}, new double[] {10.5, NAN, 12.5}, new double[] {1000, NAN, 1200},
        new double[] {7, NAN, NAN}, new long[] {100, 0, 300});
    return new SeriesState.Entry(2, s, new double[] {0.25, -1.5});
  }

  /** brk.b (instrument BRK_.B) whose tail holds its whole series: no carry. */
  static SeriesState.Entry brk() {
    SymbolSeries s = new SymbolSeries("brk.b", "_B_R_K._B", 0, new double[] {400}, new double[] {401},
        new double[] {399}, new double[] {400.5}, new double[] {50}, new double[] {3}, new long[] {42});
    return new SeriesState.Entry(0, s, new double[0]);
  }

  static void assertSame(SeriesState.Entry actual, SeriesState.Entry expected) {
    SymbolSeries a = actual.tail;
    SymbolSeries e = expected.tail;
    assertThat(a.ticker, is(e.ticker));
    assertThat(a.instrument, is(e.instrument));
    assertThat(a.start, is(e.start));
    assertThat(actual.origin, is(expected.origin));
    for (double[][] col : new double[][][] {{a.open, e.open}, {a.high, e.high}, {a.low, e.low}, {a.close, e.close},
        {a.volume, e.volume}, {a.transactions, e.transactions}, {actual.carry, expected.carry}}) {
      assertThat(Arrays.toString(col[0]), is(Arrays.toString(col[1])));
    }
    assertThat(a.windowStart, equalTo(e.windowStart));
  }

  @Test
  void entriesRoundTripWithGapsMissingCountsAndCarry() throws IOException {
    List<SeriesState.Entry> back = SeriesState.decode(SeriesState.encode(List.of(aapl(), brk())));
    assertThat(back.size(), is(2));
    assertSame(back.get(0), aapl());
    assertSame(back.get(1), brk());
    assertThat(back.get(0).whole(), is(false));
    assertThat(back.get(0).end(), is(7));
    assertThat(back.get(1).whole(), is(true));
    assertThat(SeriesState.decode(SeriesState.encode(List.of())).size(), is(0));
  }

  /** Little-endian ints, length-prefixed strings and arrays, as the format documents. */
  private static final class Bytes {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes i(int v) {
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
      return this;
    }

    Bytes s(String v) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      i(b.length);
      out.writeBytes(b);
      return this;
    }

    Bytes d(double... v) {
      i(v.length);
      for (double x : v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(x).array());
      }
      return this;
    }

    Bytes l(long... v) {
      i(v.length);
      for (long x : v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(x).array());
      }
      return this;
    }
  }

  @Test
  void theEncodingIsTheDocumentedLayout() throws IOException {
    byte[] expected = new Bytes().s("quantmini-series-state-v2").i(1).s("brk.b").s("_B_R_K._B").i(0).i(0)
        .d(400).d(401).d(399).d(400.5).d(50).d(3).l(42).d().out.toByteArray();
    assertThat(SeriesState.encode(List.of(brk())), equalTo(expected));
  }

  @Test
  void aVersionOneFileHasNoCarry() throws IOException {
    byte[] v1 = new Bytes().s("quantmini-series-state-v1").i(1).s("AAPL").s("AAPL").i(3).i(3)
        .d(1, 2).d(1, 2).d(1, 2).d(1.5, 2.5).d(10, 20).d(NAN, 4).l(7, 8).out.toByteArray();
    SeriesState.Entry e = SeriesState.decode(v1).get(0);
    assertThat(e.origin, is(3));
    assertThat(e.tail.start, is(3));
    assertThat(e.tail.close[1], is(2.5));
    assertThat(Double.isNaN(e.tail.transactions[0]), is(true));
    assertThat(e.carry.length, is(0));
  }

  @Test
  void everyTruncationFailsInsteadOfReadingFewerEntries() throws IOException {
    byte[] whole = SeriesState.encode(List.of(aapl(), brk()));
    for (int n = 0; n < whole.length; n++) {
      byte[] cut = Arrays.copyOf(whole, n);
      assertThrows(IOException.class, () -> SeriesState.decode(cut), "cut to " + n + " bytes");
    }
  }

  @Test
  void bytesAfterTheLastEntryFail() throws IOException {
    byte[] whole = SeriesState.encode(List.of(brk()));
    IOException e = assertThrows(IOException.class, () -> SeriesState.decode(Arrays.copyOf(whole, whole.length + 1)));
    assertThat(e.getMessage(), containsString("1 bytes after the end"));
  }

  @Test
  void aDamagedLengthFailsWithoutAllocatingIt() throws IOException {
    byte[] bytes = SeriesState.encode(List.of(brk()));
    // The entry count sits after the magic (4 + 25 bytes): claim two billion entries, then -1.
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(29, 2_000_000_000);
    assertThat(assertThrows(IOException.class, () -> SeriesState.decode(bytes)).getMessage(),
        containsString("count 2000000000 at byte 29"));
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(29, -1);
    assertThrows(IOException.class, () -> SeriesState.decode(bytes));
  }

  @Test
  void columnsOfDifferentLengthsFail() {
    byte[] bytes = new Bytes().s("quantmini-series-state-v2").i(1).s("X").s("X").i(0).i(0)
        .d(1, 2).d(1, 2).d(1, 2).d(1, 2).d(1, 2).d(1, 2).l(5).d().out.toByteArray();
    assertThat(assertThrows(IOException.class, () -> SeriesState.decode(bytes)).getMessage(),
        containsString("X: columns of 2 and 1 slots"));
  }

  @Test
  void anotherFileIsRefusedByItsMagic() {
    byte[] bytes = new Bytes().s("quantmini-series-history-v1").i(0).i(0).out.toByteArray();
    assertThat(assertThrows(IOException.class, () -> SeriesState.decode(bytes)).getMessage(),
        containsString("not a series state file: quantmini-series-history-v1"));
  }
}
