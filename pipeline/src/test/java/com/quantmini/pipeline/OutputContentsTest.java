package com.quantmini.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import com.quantmini.transforms.features.FeatureRegistry;
import com.quantmini.transforms.model.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes to silver and to Qlib with fewer features ({@code --features}, {@code --qlibFields}). */
class OutputContentsTest {
  private static int run(Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--input=" + EndToEndTest.testdata().resolve("flatfiles"),
        "--output=" + out, "--symbolBuckets=2", "--targetParallelism=2", "--datasets=stocks_daily,options_daily"));
    args.addAll(List.of(extra));
    return QuantMini.run(args.toArray(new String[0]));
  }

  @Test
  void barsOnlyWritesNoSilverAndQlibGetsTheAdjustedBars(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("bars");
    assertThat(run(out, "--features="), is(0));
    assertThat(Files.exists(out.resolve("bronze/stocks_daily/year=2024/month=01/2024-01-03.parquet")), is(true));
    assertThat(Files.exists(out.resolve("silver/stocks_daily")), is(false));
    assertThat(Files.exists(out.resolve("silver/options_daily")), is(false));
    assertThat(Files.exists(out.resolve("qlib/stocks_daily/features/adsw/factor.day.bin")), is(true));
    assertThat(Files.exists(out.resolve("qlib/stocks_daily/features/adsw/close.day.bin")), is(true));
    // The put/call table is computed from the bars, not a feature family: it stays.
    assertThat(Files.exists(out.resolve("silver/options_daily_underlying")), is(true));
    // query: bronze's raw prices are never passed off as adjusted ones.
    String[] query = {"query", "--output=" + out, "--dataset=stocks_daily", "--symbols=ADSW", "--fields=close",
        "--format=csv"};
    assertThat(QuantMini.run(query), is(2));
    String[] raw = Arrays.copyOf(query, query.length + 1);
    raw[query.length] = "--raw";
    assertThat(QuantMini.run(raw), is(0));
  }

  @Test
  void qlibFieldsChoosesTheBinsAndSilverKeepsEveryFeature(@TempDir Path tmp) throws Exception {
    Path bars = tmp.resolve("qbars");
    assertThat(run(bars, "--qlibFields=bars"), is(0));
    assertThat(Files.exists(bars.resolve("qlib/stocks_daily/features/aapl/rsi_14.day.bin")), is(false));
    assertThat(Files.exists(bars.resolve("qlib/stocks_daily/features/aapl/change.day.bin")), is(true));
    assertThat(Files.exists(bars.resolve("qlib/options_daily/features/spy240119c00470000/implied_vol.day.bin")), is(false));
    List<Object> silver = EndToEndTest.query("SELECT count(*), count(returns_1d), count(KMID) FROM read_parquet('"
        + bars.resolve("silver/stocks_daily") + "/*/*/*.parquet')").get(0);
    assertThat(silver.get(0), is(67L));
    assertThat(((Number) silver.get(1)).longValue(), greaterThan(0L));
    assertThat(((Number) silver.get(2)).longValue(), greaterThan(0L));
    Path listed = tmp.resolve("qlist");
    assertThat(run(listed, "--qlibFields=KMID,implied_vol"), is(0));
    Path aapl = listed.resolve("qlib/stocks_daily/features/aapl");
    assertThat(Files.exists(aapl.resolve("kmid.day.bin")), is(true));
    assertThat(Files.exists(aapl.resolve("kmax.day.bin")), is(false));
    assertThat(Files.exists(aapl.resolve("rsi_14.day.bin")), is(false));
    assertThat(Files.exists(listed.resolve("qlib/options_daily/features/spy240119c00470000/implied_vol.day.bin")),
        is(true));
    assertThat(Files.readString(listed.resolve("_manifest/stocks_daily.tsv")).contains(
        "#features adjusted,alpha158,seed,qlib=implied_vol+kmid,set="
            + FeatureRegistry.of(Dataset.stocks_daily, List.of("alpha158", "seed")).fingerprint() + "\n"), is(true));
  }

  @Test
  void qlibNoneWritesTheLakeAloneAndItsStateCarriesTheNextRun(@TempDir Path tmp) throws Exception {
    Path full = tmp.resolve("full");
    assertThat(run(full, "--qlibFields=none"), is(0));
    Path inc = tmp.resolve("inc");
    assertThat(run(inc, "--qlibFields=none", "--to=2024-01-04"), is(0));
    assertThat(run(inc), is(0)); // the recorded choice holds without the flag
    for (Path out : List.of(full, inc)) {
      assertThat(Files.exists(out.resolve("qlib")), is(false));
      String manifest = Files.readString(out.resolve("_manifest/stocks_daily.tsv"));
      assertThat(manifest, containsString("#qlib 0\n"));
      assertThat(manifest, containsString(",qlib=none,"));
    }
    // The state moved on without a Qlib writer: two runs, state version 2, and the appended
    // sessions' features equal a single run's.
    assertThat(Files.readString(inc.resolve("_manifest/stocks_daily.tsv")), containsString("#state 2\n"));
    assertThat(Files.exists(inc.resolve("_state/stocks_daily/v2/calendar.bin")), is(true));
    IncrementalTest.assertSameLake(full, inc, "stocks_daily", List.of("bronze", "silver"));
    // Qlib cannot be added to such an output later: the choice is fixed like the others.
    assertThat(run(inc, "--qlibFields=default"), is(2));
  }
}
