package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import com.quantmini.transforms.model.LongArrayCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** TradingCalendar (slot union) and SymbolSeries (bars laid on it). */
class SymbolSeriesTest {
  private final transient TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);

  private static BarBlock day(String session, Object... tickerClose) {
    BarBlock.Builder b = BarBlock.builder("stocks_daily", "k/" + session, session, 4);
    for (int i = 0; i < tickerClose.length; i += 2) {
      double c = (Double) tickerClose[i + 1];
      b.add((String) tickerClose[i], 0, c, c + 1, c - 1, c, 10 * c, i == 0 ? 5 : BarBlock.NO_VALUE, i + 2);
    }
    return b.build();
  }

  private static BarBlock minute(String session, String ticker, long... times) {
    BarBlock.Builder b = BarBlock.builder("stocks_minute", "m/" + session, session, 4);
    for (long t : times) {
      b.add(ticker, t, 1, 1, 1, 1, 1, 1, 2);
    }
    return b.build();
  }

  private static long epochDay(String iso) {
    return LocalDate.parse(iso).toEpochDay();
  }

  @Test
  void startsEachSymbolAtItsFirstBarAndFillsGapsWithNan() {
    long[] cal = {epochDay("2024-01-02"), epochDay("2024-01-03"), epochDay("2024-01-04"),
        epochDay("2024-01-05")};
    List<SymbolSeries> s = SymbolSeries.assemble(List.of(
        day("2024-01-05", "AAPL", 4.0, "IPOX", 40.0),
        day("2024-01-03", "AAPL", 2.0, "ADSw", 20.0),
        day("2024-01-02", "AAPL", 1.0)), cal, Dataset.stocks_daily);
    assertThat(s.stream().map(x -> x.instrument).collect(Collectors.toList()),
        contains("AAPL", "ADS_W", "IPOX"));
    SymbolSeries aapl = s.get(0);
    assertThat(aapl.ticker, equalTo("AAPL"));
    assertThat(aapl.start, equalTo(0));
    assertThat(aapl.end(), equalTo(3));
    assertThat(Arrays.toString(aapl.close), equalTo("[1.0, 2.0, NaN, 4.0]"));
    assertThat(Arrays.toString(aapl.high), equalTo("[2.0, 3.0, NaN, 5.0]"));
    assertThat(Arrays.toString(aapl.volume), equalTo("[10.0, 20.0, NaN, 40.0]"));
    assertThat(Arrays.toString(aapl.transactions), equalTo("[5.0, 5.0, NaN, 5.0]"));
    SymbolSeries ads = s.get(1);
    assertThat(ads.start, equalTo(1));
    assertThat(Arrays.toString(ads.close), equalTo("[20.0]"));
    assertThat(Arrays.toString(ads.transactions), equalTo("[NaN]"));
    SymbolSeries ipox = s.get(2);
    assertThat(ipox.start, equalTo(3));
    assertThat(ipox.length(), equalTo(1));
  }

  @Test
  void placesMinuteBarsOnTheirWindowStartSlot() {
    long[] cal = {100, 160, 220, 280};
    List<SymbolSeries> s = SymbolSeries.assemble(
        List.of(minute("2024-01-04", "SPY", 280, 160)), cal, Dataset.stocks_minute);
    assertThat(s.get(0).start, equalTo(1));
    assertThat(Arrays.toString(s.get(0).open), equalTo("[1.0, NaN, 1.0]"));
  }

  @Test
  void unionsMinuteSlotsAcrossBlocksAndDaysAcrossSessions() {
    PAssert.that(p
            .apply("Blocks", Create.of(minute("2024-01-04", "SPY", 300, 100, 200),
                    minute("2024-01-04", "AAPL", 200, 250), minute("2024-01-05", "SPY", 900),
                    day("2024-01-03", "AAPL", 1.0), day("2024-01-02", "AAPL", 1.0),
                    day("2024-01-03", "SPY", 1.0))
                .withCoder(BarBlock.BlockCoder.of()))
            .apply("TradingCalendar", TradingCalendar.extending(p.apply("Prior",
                Create.of(KV.of("stocks_daily", new long[] {epochDay("2023-12-29")}))
                    .withCoder(KvCoder.of(StringUtf8Coder.of(), LongArrayCoder.of())))))
            .apply("Show", MapElements.into(TypeDescriptors.strings())
                .via(kv -> kv.getKey() + Arrays.toString(kv.getValue()))))
        .containsInAnyOrder("stocks_minute[100, 200, 250, 300, 900]",
            "stocks_daily[" + epochDay("2023-12-29") + ", " + epochDay("2024-01-02") + ", "
                + epochDay("2024-01-03") + "]");
    p.run().waitUntilFinish();
  }

  @Test
  void mergesSortedUniqueArrays() {
    TradingCalendar.UnionFn u = new TradingCalendar.UnionFn();
    assertThat(Arrays.toString(u.apply(new long[] {1, 3, 5}, new long[] {2, 3, 6, 7})),
        equalTo("[1, 2, 3, 5, 6, 7]"));
    assertThat(Arrays.toString(u.apply(new long[0], new long[] {4})), equalTo("[4]"));
    assertThat(Arrays.toString(TradingCalendar.sortedUnique(new long[] {5, 1, 5, 3, 1})),
        equalTo("[1, 3, 5]"));
  }
}
