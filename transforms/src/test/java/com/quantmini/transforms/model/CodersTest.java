package com.quantmini.transforms.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.SymbolSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beam's coder properties for every custom coder: serializable, and a value decoded from its
 * encoding encodes to the same bytes (the model types have no equals, so their structural value,
 * the encoding, is compared), in every Beam context.
 */
class CodersTest {
  private static final double NAN = Double.NaN;

  private static <T> void roundTrips(Coder<T> coder, T value) throws Exception {
    CoderProperties.coderSerializable(coder);
    CoderProperties.structuralValueDecodeEncodeEqual(coder, value);
  }

  static BarBlock block() {
    return BarBlock.builder("stocks_daily", "us_stocks_sip/day_aggs_v1/2024/01/2024-01-03.csv.gz", "2024-01-03", 2)
        .add("AAPL", 1_704_258_000_000_000_000L, 184.22, 185.88, 183.43, 184.25, 58_414_460.7, 656_000, 2)
        .add("ADSw", 1_704_258_000_000_000_000L, 10.35, 10.5, -0.0, 10.4, 1e-3, BarBlock.NO_VALUE, 3)
        .build();
  }

  @Test
  void barBlocksKeepEveryColumnIncludingMissingTransactions() throws Exception {
    roundTrips(BarBlock.BlockCoder.of(), block());
    roundTrips(BarBlock.BlockCoder.of(), BarBlock.builder("options_minute", "k", "2024-01-03", 0).build());
  }

  @Test
  void longArrays() throws Exception {
    roundTrips(LongArrayCoder.of(), new long[] {Long.MIN_VALUE, -1, 0, 19_725, Long.MAX_VALUE});
    roundTrips(LongArrayCoder.of(), new long[0]);
  }

  @Test
  void csvChunksAndTheirEndMarker() throws Exception {
    FileKey file = FileKey.of(Dataset.stocks_daily, "us/2024-01-03.csv.gz", "/in/us/2024-01-03.csv.gz", "2024-01-03",
        1234, "crc32c:0a1b");
    byte[] data = "AAPL,58414460.7,184.22,184.25,185.88,183.43,1704258000000000000,656000\n"
        .getBytes(StandardCharsets.UTF_8);
    roundTrips(CsvChunk.ChunkCoder.of(), CsvChunk.data(file, 2, 1, data, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 8));
    roundTrips(CsvChunk.ChunkCoder.of(), CsvChunk.last(file, 1, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 8));
  }

  @Test
  void sessionFeaturesWithNanAndInfinities() throws Exception {
    roundTrips(SessionFeatures.SessionFeaturesCoder.of(), new SessionFeatures(block(), List.of("KMID"),
        List.of("factor", "rsi_14"), new float[][] {{0.25f, Float.NaN}},
        new double[][] {{1.0, 4.0}, {NAN, Double.POSITIVE_INFINITY}}));
  }

  @Test
  void featureBlocksWithTheirSymbolsStateAndCarry() throws Exception {
    roundTrips(FeatureBlock.FeatureBlockCoder.of(), featureBlock());
  }

  static FeatureBlock featureBlock() {
    SymbolSeries s = new SymbolSeries("AAPL", "AAPL", 3, new double[] {1, NAN}, new double[] {2, NAN},
        new double[] {0.5, NAN}, new double[] {1.5, NAN}, new double[] {100, NAN}, new double[] {7, NAN},
        new long[] {10, 20});
    FeatureBlock.Symbol sym = new FeatureBlock.Symbol(s, new float[][] {{0.1f, Float.NaN}},
        new double[][] {{1, 1}, {NAN, 0.02}}, 3, 4, 3, s, new double[] {0.5, NAN}, true);
    FeatureBlock.Symbol unchanged = new FeatureBlock.Symbol(s, new float[0][], new double[0][], 3, Integer.MAX_VALUE,
        -1, s, new double[0], false);
    return new FeatureBlock("stocks_daily", "stocks_daily/7", List.of("KMID"),
        List.of("factor", "rsi_14"), List.of(sym, unchanged), List.of("2024-01-03"));
  }

  @Test
  void repeatedColumnsAndATailStateTravelAsReferencesAndComeBackBitForBit() throws Exception {
    double oddNan = Double.longBitsToDouble(0xfff8000000000001L); // a NaN with its own payload
    SymbolSeries s = new SymbolSeries("MSFT", "MSFT", 10, new double[] {1, NAN, 3, 4}, new double[] {2, NAN, 4, 5},
        new double[] {0.5, NAN, 2, -0.0}, new double[] {1.5, NAN, 3.5, 4.5}, new double[] {100, NAN, 7, 8},
        new double[] {7, NAN, NAN, 9}, new long[] {10, 0, 30, 40});
    SymbolSeries tail = s.slice(12, 13);
    double[] unit = {1, NAN, 1, 1};
    double[] almostUnit = {1, 1, 1, 1}; // 1 where there is no bar: not the factor the decoder would rebuild
    double[] nanPayload = {1, oddNan, 1, 1};
    double[][] doubles = {unit, s.open, s.high, s.low, s.close, s.volume, almostUnit, nanPayload, s.close.clone()};
    FeatureBlock.Symbol sym = new FeatureBlock.Symbol(s, new float[0][], doubles, 10, 10, -1, tail,
        new double[] {1, 2}, true);
    FeatureBlock block = new FeatureBlock("stocks_minute", "stocks_minute/3", List.of(),
        List.of("factor", "open", "high", "low", "close", "volume", "a", "b", "c"), List.of(sym), List.of("2024-01-03"));
    roundTrips(FeatureBlock.FeatureBlockCoder.of(), block);
    byte[] bytes = CoderUtils.encodeToByteArray(FeatureBlock.FeatureBlockCoder.of(), block);
    FeatureBlock.Symbol back = CoderUtils.decodeFromByteArray(FeatureBlock.FeatureBlockCoder.of(), bytes)
        .symbols().get(0);
    for (int d = 0; d < doubles.length; d++) {
      assertArrayEquals(bits(doubles[d]), bits(back.doubles[d]), "column " + d);
    }
    assertThat(back.state.start, is(12));
    assertArrayEquals(bits(tail.low), bits(back.state.low));
    assertArrayEquals(tail.windowStart, back.state.windowStart);
    assertArrayEquals(bits(tail.transactions), bits(back.state.transactions));
    // Values written: the series (7 columns of 4) and the three columns that differ; the rest are
    // tags. Every column and the state in full would be 78 values, 624 bytes before any name.
    int values = 7 * 4 + 3 * 4;
    assertThat("encoded " + bytes.length + " bytes", bytes.length < values * 8 + 250, is(true));
  }

  @Test
  void aMinuteSeriesWritesItsBarsNotItsEmptySlots() throws Exception {
    int n = 1000;
    SymbolSeries s = SymbolSeries.empty("ZZ", "ZZ", 5, n);
    for (int k = 0; k < n; k += 10) { // a bar every tenth minute
      s.set(k, new double[] {k, k + 1, k - 1, k + 0.5, 100 * k, k % 20 == 0 ? NAN : 3}, 1_000L + k);
    }
    // Slots that look empty but are not: a NaN with a payload, a bar whose columns are all NaN, -0.0.
    s.open[3] = Double.longBitsToDouble(0x7ff8000000000001L);
    s.windowStart[7] = 77;
    s.volume[9] = -0.0;
    float[] alpha = new float[n];
    double[] seed = new double[n];
    double[] filled = new double[n]; // a value in an empty slot: written whole
    Arrays.fill(alpha, Float.NaN);
    Arrays.fill(seed, NAN);
    for (int k = 0; k < n; k += 10) {
      alpha[k] = k / 7f;
      seed[k] = k / 3.0;
      filled[k] = 1;
    }
    alpha[3] = 0.5f;
    seed[9] = 2;
    filled[1] = 2;
    FeatureBlock.Symbol sym = new FeatureBlock.Symbol(s, new float[][] {alpha}, new double[][] {seed, filled}, 5, 5,
        -1, s, new double[0], true);
    FeatureBlock block = new FeatureBlock("stocks_minute", "stocks_minute/1", List.of("A"), List.of("s", "f"),
        List.of(sym), List.of("2024-01-03"));
    roundTrips(FeatureBlock.FeatureBlockCoder.of(), block);
    byte[] bytes = CoderUtils.encodeToByteArray(FeatureBlock.FeatureBlockCoder.of(), block);
    FeatureBlock.Symbol back = CoderUtils.decodeFromByteArray(FeatureBlock.FeatureBlockCoder.of(), bytes)
        .symbols().get(0);
    SymbolSeries b = back.series;
    assertThat(b.start, is(5));
    assertThat(b.length(), is(n));
    for (double[][] pair : new double[][][] {{s.open, b.open}, {s.high, b.high}, {s.low, b.low}, {s.close, b.close},
        {s.volume, b.volume}, {s.transactions, b.transactions}, {seed, back.doubles[0]}, {filled, back.doubles[1]}}) {
      assertArrayEquals(bits(pair[0]), bits(pair[1]));
    }
    assertArrayEquals(s.windowStart, b.windowStart);
    for (int k = 0; k < n; k++) {
      assertThat("slot " + k, Float.floatToRawIntBits(back.floats[0][k]), is(Float.floatToRawIntBits(alpha[k])));
    }
    // 103 slots hold something: 8 double columns and a float column of 103 values, the dense column
    // and a bitmap, not 9 x 1000 doubles.
    int dense = 9 * n * 8;
    assertThat("encoded " + bytes.length + " bytes", bytes.length < 103 * (8 * 8 + 4) + n * 8 + n / 8 + 300, is(true));
    assertThat(bytes.length < dense / 3, is(true));
  }

  private static long[] bits(double[] a) {
    long[] b = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Double.doubleToRawLongBits(a[i]);
    }
    return b;
  }

  @Test
  void fileLedgersAndTheirLedgerLine() throws Exception {
    FileLedger f = new FileLedger("us_stocks_sip/day_aggs_v1/2024/01/2024-01-03.csv.gz", 5_123_456_789L,
        "\"9b2cf535f27731c974343645a3985328\"", 10_471, 10_460, 9);
    roundTrips(FileLedger.FileLedgerCoder.of(), f);
    assertThat(CoderUtils.decodeFromByteArray(FileLedger.FileLedgerCoder.of(),
        CoderUtils.encodeToByteArray(FileLedger.FileLedgerCoder.of(), f)), is(f));
    assertThat(f.session(), is("2024-01-03"));
    assertThat(f.line(), is("us_stocks_sip/day_aggs_v1/2024/01/2024-01-03.csv.gz\t5123456789\t"
        + "\"9b2cf535f27731c974343645a3985328\"\t10471\t10460\t9"));
  }

  @Test
  void aStoredFeatureBlockTravelsAsItsHandle() throws Exception {
    FeatureBlock block = featureBlock();
    FeatureBlock handle = block.storedAt("/out/_work/features/stocks_daily_7/a.bin");
    assertThat(handle.isStored(), is(true));
    assertThat(block.isStored(), is(false));
    assertThat(handle.path(), is("/out/_work/features/stocks_daily_7/a.bin"));
    assertThat(handle.bucket(), is("stocks_daily/7"));
    assertThat(handle.floatNames(), is(List.of("KMID")));
    assertThat(handle.doubleNames(), is(List.of("factor", "rsi_14")));
    assertThat(handle.freshSessions(), is(List.of("2024-01-03")));
    IllegalStateException notLoaded = assertThrows(IllegalStateException.class, handle::symbols);
    assertThat(notLoaded.getMessage(), containsString("load it"));
    roundTrips(FeatureBlock.FeatureBlockCoder.of(), handle);
    FeatureBlock back = CoderUtils.decodeFromByteArray(FeatureBlock.FeatureBlockCoder.of(),
        CoderUtils.encodeToByteArray(FeatureBlock.FeatureBlockCoder.of(), handle));
    assertThat(back.path(), is(handle.path()));
    assertThat(CoderUtils.encodeToByteArray(FeatureBlock.FeatureBlockCoder.of(), handle).length < 200, is(true));
  }
}
