package com.quantmini.transforms;

import com.quantmini.transforms.model.FeatureBlock;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** Blocks of one bucket, whoever computed them, reach the writer as one group; other buckets apart. */
class GroupBySymbolTest {
  private final transient TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);

  static FeatureBlock handle(String bucket, String path) {
    return new FeatureBlock(bucket.substring(0, bucket.indexOf('/')), bucket, List.of(), List.of("factor"), List.of(),
        List.of("2024-01-03"))
        .storedAt(path);
  }

  static String describe(KV<String, Iterable<FeatureBlock>> group) {
    List<String> paths = new ArrayList<>();
    group.getValue().forEach(b -> paths.add(b.path()));
    paths.sort(null);
    return group.getKey() + "=" + paths;
  }

  @Test
  void groupsTheBlocksOfEachBucket() {
    PAssert.that(p.apply(Create.of(handle("stocks_daily/0", "/w/a"), handle("stocks_daily/1", "/w/b"),
                handle("stocks_daily/0", "/w/c"), handle("options_daily/0", "/w/d"))
            .withCoder(FeatureBlock.FeatureBlockCoder.of()))
        .apply(GroupBySymbol.create())
        .apply(MapElements.into(TypeDescriptors.strings()).via(GroupBySymbolTest::describe)))
        .containsInAnyOrder("stocks_daily/0=[/w/a, /w/c]", "stocks_daily/1=[/w/b]", "options_daily/0=[/w/d]");
    p.run().waitUntilFinish();
  }
}
