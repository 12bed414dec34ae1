package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.FileKey;
import com.quantmini.transforms.model.ModelCoders;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** Which listed files are new work against the manifest (key → ETag), the sessions to redo, and the stocks they follow. */
class DropProcessedTest {
  private final transient TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);

  static FileKey file(Dataset ds, String session, String etag) {
    String key = ds.prefix() + "/" + session.substring(0, 4) + "/" + session.substring(5, 7) + "/" + session + ".csv.gz";
    return FileKey.of(ds, key, "/in/" + key, session, 100, etag);
  }

  private static final FileKey STOCKS_0103 = file(Dataset.stocks_daily, "2024-01-03", "e1");
  private static final Map<String, String> MANIFEST = Map.of(STOCKS_0103.getKey(), "e1");

  @Test
  void aFileIsNewWorkWhenUnknownRepublishedOrItsSessionIsRedone() {
    assertThat(DropProcessed.newWork(STOCKS_0103, MANIFEST, Set.of()), is(false));
    assertThat(DropProcessed.newWork(file(Dataset.stocks_daily, "2024-01-04", "e1"), MANIFEST, Set.of()), is(true));
    assertThat(DropProcessed.newWork(file(Dataset.stocks_daily, "2024-01-03", "e2"), MANIFEST, Set.of()), is(true));
    assertThat(DropProcessed.newWork(STOCKS_0103, MANIFEST, Set.of("2024-01-03")), is(true));
    assertThat(DropProcessed.newWork(STOCKS_0103, MANIFEST, Set.of("stocks_daily/2024-01-03")), is(true));
    // Another dataset's or another day's redo does not touch it.
    assertThat(DropProcessed.newWork(STOCKS_0103, MANIFEST, Set.of("stocks_minute/2024-01-03", "2024-01-02")), is(false));
  }

  @Test
  void optionsFollowTheStockSessionsTheirFeaturesRead() {
    List<String> dailyRedone = List.of("stocks_daily:2024-01-03");
    List<String> minuteRedone = List.of("stocks_minute:2024-01-03");
    assertThat(DropProcessed.followsStocks(file(Dataset.options_daily, "2024-01-03", "o"), dailyRedone), is(true));
    assertThat(DropProcessed.followsStocks(file(Dataset.options_minute, "2024-01-03", "o"), dailyRedone), is(true));
    assertThat(DropProcessed.followsStocks(file(Dataset.options_minute, "2024-01-03", "o"), minuteRedone), is(true));
    // Daily options read no minute closes; other sessions and stock files follow nothing.
    assertThat(DropProcessed.followsStocks(file(Dataset.options_daily, "2024-01-03", "o"), minuteRedone), is(false));
    assertThat(DropProcessed.followsStocks(file(Dataset.options_daily, "2024-01-04", "o"), dailyRedone), is(false));
    assertThat(DropProcessed.followsStocks(file(Dataset.stocks_minute, "2024-01-03", "o"), dailyRedone), is(false));
  }

  @Test
  void keepsNewWorkAndTheOptionsOfARepublishedStocksDay() {
    FileKey options0103 = file(Dataset.options_daily, "2024-01-03", "o1");
    FileKey options0104 = file(Dataset.options_daily, "2024-01-04", "o1");
    FileKey stocks0104 = file(Dataset.stocks_daily, "2024-01-04", "e1");
    Map<String, String> manifest = Map.of(STOCKS_0103.getKey(), "e0", stocks0104.getKey(), "e1",
        options0103.getKey(), "o1", options0104.getKey(), "o1");
    PCollectionView<Map<String, String>> view = p
        .apply("Manifest", Create.of(manifest).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("ManifestAsMap", View.asMap());
    PCollection<FileKey> kept = p
        .apply("Listed", Create.of(STOCKS_0103, stocks0104, options0103, options0104).withCoder(ModelCoders.FILE_KEY))
        .apply("DropProcessed", DropProcessed.against(view, Set.of()).redoingOptionsOfNewStockSessions());
    // Stocks' 01-03 was republished (etag e0 → e1): it and the options of 01-03 are done again.
    PAssert.that(kept.apply("Keys", MapElements.into(TypeDescriptors.strings()).via(FileKey::getKey)))
        .containsInAnyOrder(STOCKS_0103.getKey(), options0103.getKey());
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "filesToProcess"), is(2L));
    assertThat(counter(result, "filesAlreadyProcessed"), is(2L));
    assertThat(counter(result, "filesRepublished"), is(1L));
    assertThat(counter(result, "optionsFilesRedoneForStocks"), is(1L));
    assertThat(counter(result, DropProcessed.BYTES_TO_PROCESS), is(200L));
    assertThat(counter(result, DropProcessed.SESSION + "republished:stocks_daily:2024-01-03"), is(1L));
    assertThat(counter(result, DropProcessed.SESSION + "redone:options_daily:2024-01-03"), is(1L));
  }

  static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(DropProcessed.class, name)).build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
