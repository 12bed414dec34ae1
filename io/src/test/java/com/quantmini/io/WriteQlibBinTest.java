package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.quantmini.transforms.CalendarViews;
import com.quantmini.transforms.GroupBySymbol;
import com.quantmini.transforms.WindowedFeatures;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.LongArrayCoder;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptor;

import com.quantmini.transforms.RunCalendars;
import com.quantmini.transforms.model.BarBlock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteQlibBinTest {
  private final transient TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
  @TempDir Path tmp;

  private static final long T0 = 1_704_378_600_000_000_000L; // 2024-01-04 09:30 New York (EST)

  /** Bars of one daily session: ticker, close pairs; open = close - 1, volume = close * 1000. */
  private static BarBlock day(String session, Object... tickerClose) {
    BarBlock.Builder b = BarBlock.builder("stocks_daily", "k/" + session, session, 4);
    for (int i = 0; i < tickerClose.length; i += 2) {
      double c = (Double) tickerClose[i + 1];
      b.add((String) tickerClose[i], 0, c - 1, c + 1, c - 2, c, c * 1000,
          i == 0 ? 7 : BarBlock.NO_VALUE, i + 2);
    }
    return b.build();
  }

  private static BarBlock minute(String ticker, long... times) {
    BarBlock.Builder b = BarBlock.builder("stocks_minute", "m", "2024-01-04", 4);
    for (int i = 0; i < times.length; i++) {
      b.add(ticker, times[i], 1, 1, 1, 1.5 + i, 123_456_789, 1, i + 2);
    }
    return b.build();
  }

  /** A first build (no earlier state) of the blocks' dataset into {@code <root>/<dataset>}. */
  private PCollection<String> write(String name, String root, List<BarBlock> blocks) {
    String ds = blocks.get(0).dataset();
    PCollection<BarBlock> in = p.apply(name + "Blocks", Create.of(blocks).withCoder(BarBlock.BlockCoder.of()));
    PCollection<KV<String, long[]>> prior = p.apply(name + "Prior",
        Create.empty(KvCoder.of(StringUtf8Coder.of(), LongArrayCoder.of())));
    CalendarViews calendars = in.apply(name + "RunCalendars", RunCalendars.extending(prior));
    FileStateStore state = new FileStateStore(root, Map.of(ds, 0));
    Map<String, QlibLayout> layouts = Map.of(ds, new QlibLayout(ds, null, root + "/" + ds, state.runDir(ds)));
    return in.apply(name + "WindowedFeatures", WindowedFeatures.over(calendars, state, 2, List.of(),
            Set.of(Dataset.valueOf(ds))))
        .apply(name + "GroupBySymbol", GroupBySymbol.create())
        .apply(name + "WriteQlibBin", WriteQlibBin.to(calendars, layouts));
  }

  /** A field file as "start:[v1, v2, ...]", decoded the way Qlib reads it. */
  private static String bin(Path f) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    StringBuilder sb = new StringBuilder().append((int) b.getFloat()).append(':');
    List<String> v = new ArrayList<>();
    while (b.hasRemaining()) {
      v.add(Float.toString(b.getFloat()));
    }
    return sb.append(v).toString();
  }

  private static List<String> lines(Path f) throws IOException {
    return Files.readAllLines(f);
  }

  private static final List<BarBlock> DAYS = List.of(
      day("2024-01-02", "AAPL", 10.5, "ADSw", 20.0, "NA", 3.0),
      day("2024-01-03", "ADSW", 30.25, "ADSw", 21.0),
      day("2024-01-04", "AAPL", 12.25, "CON", 5.5));

  @Test
  void writesCalendarInstrumentsAndFeatureFilesWithGaps() throws IOException {
    String root = tmp.resolve("a").toString();
    PAssert.that(write("A", root, DAYS)).containsInAnyOrder(root + "/_state/stocks_daily/v1");
    p.run().waitUntilFinish();
    Path d = Path.of(root, "stocks_daily");
    assertThat(Files.readString(d.resolve("calendars/day.txt")), equalTo("2024-01-02\n2024-01-03\n2024-01-04\n"));
    assertThat(lines(d.resolve("instruments/all.txt")), contains(
        "AAPL\t2024-01-02\t2024-01-04", "ADSW\t2024-01-03\t2024-01-03", "ADS_W\t2024-01-02\t2024-01-03",
        "CON\t2024-01-04\t2024-01-04", "NA_\t2024-01-02\t2024-01-02"));
    assertThat(bin(d.resolve("features/aapl/close.day.bin")), equalTo("0:[10.5, NaN, 12.25]"));
    assertThat(bin(d.resolve("features/aapl/open.day.bin")), equalTo("0:[9.5, NaN, 11.25]"));
    assertThat(bin(d.resolve("features/aapl/volume.day.bin")), equalTo("0:[10500.0, NaN, 12250.0]"));
    assertThat(bin(d.resolve("features/aapl/transactions.day.bin")), equalTo("0:[7.0, NaN, 7.0]"));
    assertThat(bin(d.resolve("features/ads_w/high.day.bin")), equalTo("0:[21.0, 22.0]"));
    assertThat(bin(d.resolve("features/ads_w/transactions.day.bin")), equalTo("0:[NaN, NaN]"));
    assertThat(bin(d.resolve("features/adsw/low.day.bin")), equalTo("1:[28.25]"));
    assertThat(bin(d.resolve("features/_qlib_con/close.day.bin")), equalTo("2:[5.5]"));
    assertThat(bin(d.resolve("features/na_/close.day.bin")), equalTo("0:[3.0]"));
    try (Stream<Path> s = Files.list(d.resolve("features/aapl"))) {
      assertThat(s.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList()),
          contains("change.day.bin", "close.day.bin", "factor.day.bin", "high.day.bin", "low.day.bin",
              "open.day.bin", "transactions.day.bin", "volume.day.bin"));
    }
    // No corporate actions: factor 1 at every bar, change between bars (NaN at the first).
    assertThat(bin(d.resolve("features/aapl/factor.day.bin")), equalTo("0:[1.0, NaN, 1.0]"));
    assertThat(bin(d.resolve("features/aapl/change.day.bin")),
        equalTo("0:[NaN, NaN, " + (float) (12.25 / 10.5 - 1) + "]"));
  }

  @Test
  void writesMinuteCalendarInNewYorkTimeAndSpansWithTheBarTime() throws IOException {
    String root = tmp.resolve("m").toString();
    long m = 60_000_000_000L;
    write("M", root, List.of(minute("SPY", T0, T0 + 2 * m), minute("AAPL", T0 + m)));
    p.run().waitUntilFinish();
    Path d = Path.of(root, "stocks_minute");
    assertThat(lines(d.resolve("calendars/1min.txt")),
        contains("2024-01-04 09:30:00", "2024-01-04 09:31:00", "2024-01-04 09:32:00"));
    assertThat(lines(d.resolve("instruments/all.txt")), contains(
        "AAPL\t2024-01-04 09:31:00\t2024-01-04 09:31:00", "SPY\t2024-01-04 09:30:00\t2024-01-04 09:32:00"));
    assertThat(bin(d.resolve("features/spy/close.1min.bin")), equalTo("0:[1.5, NaN, 2.5]"));
    assertThat(bin(d.resolve("features/spy/volume.1min.bin")), equalTo("0:[1.23456792E8, NaN, 1.23456792E8]"));
    assertThat(bin(d.resolve("features/aapl/close.1min.bin")), equalTo("1:[1.5]"));
  }

  @Test
  void writesIdenticalBytesWhateverTheBlockOrder() throws IOException {
    Path a = tmp.resolve("first");
    Path b = tmp.resolve("second");
    List<BarBlock> reversed = new ArrayList<>(DAYS);
    Collections.reverse(reversed);
    write("First", a.toString(), DAYS);
    write("Second", b.toString(), reversed);
    p.run().waitUntilFinish();
    List<String> files;
    try (Stream<Path> s = Files.walk(a)) {
      files = s.filter(Files::isRegularFile).map(f -> a.relativize(f).toString()).sorted()
          .collect(Collectors.toList());
    }
    // Qlib: staged calendar and all.txt, 5 symbols x 8 fields (bars, factor, change); state: 2
    // buckets' tails and history segments (saved by the features step), and the staged qlib.target
    // the commit step reads.
    assertThat(files.stream().filter(f -> f.startsWith("stocks_daily/")).count(), equalTo(2L + 5 * 8));
    assertThat(files.stream().filter(f -> f.startsWith("_state/")).count(), equalTo(5L));
    for (String f : files) {
      if (f.endsWith("/qlib.target")) {
        continue; // names its own output folder, so it differs by design
      }
      assertThat(f, Arrays.equals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f))),
          equalTo(true));
    }
    try (Stream<Path> s = Files.walk(b)) {
      assertThat(s.filter(Files::isRegularFile).count(), equalTo((long) files.size()));
    }
  }

  @Test
  void retriedSymbolFolderIsEmptiedWithoutTouchingFilesLinkedFromTheLiveVersion() throws IOException {
    Path live = Files.write(Files.createDirectories(tmp.resolve("live/aapl")).resolve("close.day.bin"), new byte[] {1, 2});
    Path next = Files.createDirectories(tmp.resolve("next/features/aapl"));
    Files.createLink(next.resolve("close.day.bin"), live);
    WriteQlibBin.WriteBucketFn.freshDir(next);
    assertThat(Files.list(next).count(), equalTo(0L));
    assertThat(Files.readAllBytes(live).length, equalTo(2));
    WriteQlibBin.WriteBucketFn.freshDir(tmp.resolve("new/features/msft"));
    assertThat(Files.isDirectory(tmp.resolve("new/features/msft")), equalTo(true));
  }
}
