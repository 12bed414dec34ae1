package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.FileKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListKeysTest {
  private final transient TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
  @TempDir Path tmp;

  private static final String DAY = "us_stocks_sip/day_aggs_v1/";

  private void touch(String key, int bytes) throws IOException {
    Path f = tmp.resolve(key);
    Files.createDirectories(f.getParent());
    Files.write(f, new byte[bytes]);
  }

  @BeforeEach
  void tree() throws IOException {
    touch(DAY + "2024/01/2024-01-02.csv.gz", 11);
    touch(DAY + "2024/01/2024-01-03.csv.gz", 12);
    touch(DAY + "2024/01/2024-01-05.csv.gz", 13);
    touch(DAY + "2023/12/2023-12-29.csv.gz", 14);
    touch(DAY + "2024/02/2024-01-08.csv.gz", 1);   // wrong month folder
    touch(DAY + "2024/01/2024-01-32.csv.gz", 1);   // no such date
    touch(DAY + "2024/01/notes.txt", 1);           // not a day file
    touch("us_stocks_sip/minute_aggs_v1/2024/01/2024-01-02.csv.gz", 1); // other dataset
  }

  private static long counter(PipelineResult r, String name) {
    long sum = 0;
    for (MetricResult<Long> c : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ListKeys.class, name)).build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  private PipelineResult list(LocalDate from, LocalDate to, String... expected) {
    String root = tmp.toString();
    PAssert.that(p.apply("ListKeys", ListKeys.under(tmp.toString() + "/", List.of(Dataset.stocks_daily), from, to))
            .apply("Describe", MapElements.into(TypeDescriptors.strings())
                .via((FileKey k) -> k.getDataset() + " " + k.getSession() + " " + k.getKey() + " "
                    + k.getSizeBytes() + " " + k.getResource().equals(root + "/" + k.getKey()))))
        .containsInAnyOrder(expected);
    PipelineResult r = p.run();
    r.waitUntilFinish();
    return r;
  }

  @Test
  void listsWellPlacedKeysAndCountsTheOthersAsIgnored() {
    PipelineResult r = list(null, null,
        "stocks_daily 2023-12-29 " + DAY + "2023/12/2023-12-29.csv.gz 14 true",
        "stocks_daily 2024-01-02 " + DAY + "2024/01/2024-01-02.csv.gz 11 true",
        "stocks_daily 2024-01-03 " + DAY + "2024/01/2024-01-03.csv.gz 12 true",
        "stocks_daily 2024-01-05 " + DAY + "2024/01/2024-01-05.csv.gz 13 true");
    assertThat(counter(r, "keysListed"), equalTo(4L));
    assertThat(counter(r, "keysIgnored"), equalTo(3L));
    assertThat(counter(r, "sessionsMissing"), equalTo(1L)); // 2024-01-04
  }

  @Test
  void keepsOnlySessionsBetweenFromAndTo() {
    PipelineResult r = list(LocalDate.parse("2024-01-03"), LocalDate.parse("2024-01-09"),
        "stocks_daily 2024-01-03 " + DAY + "2024/01/2024-01-03.csv.gz 12 true",
        "stocks_daily 2024-01-05 " + DAY + "2024/01/2024-01-05.csv.gz 13 true");
    assertThat(counter(r, "keysListed"), equalTo(2L));
    assertThat(counter(r, "sessionsMissing"), equalTo(3L)); // 01-04, 01-08, 01-09
  }

  @Test
  void findsSessionsMissingFromAListing() {
    List<String> found = List.of("2024-01-02", "2024-01-05", "2024-01-10");
    assertThat(MissingSessions.find(found, "2024-01-02", "2024-01-12"), contains(
        LocalDate.parse("2024-01-03"), LocalDate.parse("2024-01-04"), LocalDate.parse("2024-01-08"),
        LocalDate.parse("2024-01-09"), LocalDate.parse("2024-01-11"), LocalDate.parse("2024-01-12")));
    assertThat(MissingSessions.find(found, null, null), contains(LocalDate.parse("2024-01-03"),
        LocalDate.parse("2024-01-04"), LocalDate.parse("2024-01-08"), LocalDate.parse("2024-01-09")));
    assertThat(MissingSessions.find(List.of(), null, "2024-01-12"), empty());
    assertThat(MissingSessions.find(List.of("2024-01-12"), "2024-01-12", "2024-01-15"), empty()); // MLK day
  }

  @Test
  void describesGapsAsRunsOfConsecutiveSessions() {
    List<LocalDate> gaps = MissingSessions.find(List.of("2024-01-02", "2024-01-10"), "2024-01-02", "2024-01-31");
    assertThat(MissingSessions.describe(gaps, 12), equalTo("2024-01-03..2024-01-09 (5), 2024-01-11..2024-01-31 (14)"));
    List<LocalDate> split = List.of(LocalDate.parse("2024-01-05"), LocalDate.parse("2024-01-08"),
        LocalDate.parse("2024-01-10"), LocalDate.parse("2024-01-12"));
    assertThat(MissingSessions.describe(split, 12), equalTo("2024-01-05..2024-01-08 (2), 2024-01-10, 2024-01-12"));
    assertThat(MissingSessions.describe(split, 2), equalTo("2024-01-05..2024-01-08 (2), 2024-01-10, ..."));
  }

  /** Lists stocks_daily with the checksum cache in {@code cache}; returns "key etag" lines and the run's result. */
  private static Map.Entry<List<String>, PipelineResult> listCached(Path root, Path cache) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    SEEN.set(seen);
    pipeline.apply("ListKeys", ListKeys.under(root + "/", List.of(Dataset.stocks_daily), null, null)
            .withChecksumCache(cache.toString()))
        .apply("Remember", MapElements.into(TypeDescriptors.strings()).via((FileKey k) -> {
          String line = k.getKey() + " " + k.getEtag();
          SEEN.get().add(line);
          return line;
        }));
    PipelineResult r = pipeline.run();
    r.waitUntilFinish();
    List<String> lines = new ArrayList<>(seen);
    Collections.sort(lines);
    return Map.entry(lines, r);
  }

  private static final AtomicReference<Queue<String>> SEEN = new AtomicReference<>();

  @Test
  void localChecksumsAreReadOnceAndRedoneWhenAFileChanges() throws IOException {
    Path cache = tmp.resolve("out/_cache");
    var first = listCached(tmp, cache);
    assertThat(counter(first.getValue(), "localFilesChecksummed"), equalTo(4L));
    assertThat(counter(first.getValue(), "localChecksumsRemembered"), equalTo(0L));
    // Nothing changed: the second listing reads no file and reports the same checksums.
    var second = listCached(tmp, cache);
    assertThat(second.getKey(), equalTo(first.getKey()));
    assertThat(counter(second.getValue(), "localFilesChecksummed"), equalTo(0L));
    assertThat(counter(second.getValue(), "localChecksumsRemembered"), equalTo(4L));
    // A republished file (same size, other bytes, a newer time) is read again and gets another checksum.
    Path f = tmp.resolve(DAY + "2024/01/2024-01-03.csv.gz");
    FileTime before = Files.getLastModifiedTime(f);
    byte[] other = new byte[12];
    other[0] = 7;
    Files.write(f, other);
    Files.setLastModifiedTime(f, FileTime.fromMillis(before.toMillis() + 1000));
    var third = listCached(tmp, cache);
    assertThat(counter(third.getValue(), "localFilesChecksummed"), equalTo(1L));
    assertThat(counter(third.getValue(), "localChecksumsRemembered"), equalTo(3L));
    List<String> changed = new ArrayList<>(third.getKey());
    changed.removeAll(first.getKey());
    assertThat(changed.size(), equalTo(1));
    assertThat(changed.get(0).startsWith(DAY + "2024/01/2024-01-03.csv.gz crc32c-"), equalTo(true));
    // A damaged cache is a cold one, never an error.
    Files.writeString(cache.resolve("stocks_daily.checksums.tsv"), "garbage\tline\n\u0000");
    var fourth = listCached(tmp, cache);
    assertThat(fourth.getKey(), equalTo(third.getKey()));
    assertThat(counter(fourth.getValue(), "localFilesChecksummed"), equalTo(4L));
  }
}
