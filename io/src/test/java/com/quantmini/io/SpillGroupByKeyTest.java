package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spilling GroupByKey groups like a GroupByKey, with each value in one file under its key's folder. */
class SpillGroupByKeyTest {
  private final transient TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);

  @TempDir
  Path tmp;

  /** key=sorted values, so the assertion does not depend on the order within a group. */
  static String describe(KV<String, Iterable<Long>> group) {
    List<Long> values = new ArrayList<>();
    group.getValue().forEach(values::add);
    values.sort(null);
    return group.getKey() + "=" + values;
  }

  @Test
  void groupsEveryValueOfAKeyOnceWithEachValueInItsOwnFile() throws IOException {
    Path dir = tmp.resolve("_work/spill");
    PCollection<KV<String, Iterable<Long>>> groups = p
        .apply("Values", Create.of(KV.of("stocks_daily/0", 3L), KV.of("stocks_daily/1", 7L), KV.of("stocks_daily/0", 3L),
            KV.of("stocks_daily/0", -5L), KV.of("stocks_daily/1", Long.MAX_VALUE))
            .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .apply("SpillGroupByKey", SpillGroupByKey.of(VarLongCoder.of(), WorkFolder.in(tmp.resolve("_work").toString(), "spill")));
    PAssert.that(groups.apply("Describe", MapElements.into(TypeDescriptors.strings()).via(SpillGroupByKeyTest::describe)))
        .containsInAnyOrder("stocks_daily/0=[-5, 3, 3]", "stocks_daily/1=[7, " + Long.MAX_VALUE + "]");
    p.run().waitUntilFinish();
    // A key's slash would be a folder level: it becomes an underscore.
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        files.merge(dir.relativize(f).getParent().toString(), 1L, Long::sum);
        assertThat(f.getFileName().toString().endsWith(".bin"), is(true));
      }
    }
    assertThat(files, is(Map.of("stocks_daily_0", 3L, "stocks_daily_1", 2L)));
  }
}
