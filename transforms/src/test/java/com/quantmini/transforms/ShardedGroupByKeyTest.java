package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** The sharded grouping gives exactly a GroupByKey's groups, whatever the shard count. */
class ShardedGroupByKeyTest {
  private final transient TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);

  static String describe(KV<String, Iterable<Integer>> group) {
    List<Integer> values = new ArrayList<>();
    group.getValue().forEach(values::add);
    values.sort(null);
    return group.getKey() + "=" + values;
  }

  @Test
  void everyShardCountGivesEachKeyAllItsValuesOnce() {
    List<KV<String, Integer>> pairs = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      List<Integer> values = new ArrayList<>();
      for (int v = 0; v <= k % 5; v++) {
        pairs.add(KV.of("2024-01-" + k, k * 10 + v));
        values.add(k * 10 + v);
      }
      expected.add("2024-01-" + k + "=" + values);
    }
    // One key per shard and fewer, a single shard, and the plain GroupByKey (0).
    for (int shards : new int[] {64, 3, 1, 0}) {
      PCollection<String> groups = p
          .apply("Pairs" + shards, Create.of(pairs).withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
          .apply("Group" + shards, ShardedGroupByKey.into(shards))
          .apply("Describe" + shards, MapElements.into(TypeDescriptors.strings()).via(ShardedGroupByKeyTest::describe));
      PAssert.that(groups).containsInAnyOrder(expected);
    }
    p.run().waitUntilFinish();
  }

  @Test
  void regroupKeepsEachKeysValuesInArrivalOrder() {
    Map<String, List<Integer>> byKey = ShardedGroupByKey.regroup(
        List.of(KV.of("b", 1), KV.of("a", 2), KV.of("b", 3), KV.of("c", 4), KV.of("a", 5)));
    assertThat(byKey.toString(), equalTo("{b=[1, 3], a=[2, 5], c=[4]}"));
  }

  @Test
  void shardsSpreadSessionKeysEvenly() {
    int shards = 8;
    int[] counts = new int[shards];
    for (int d = 0; d < 400; d++) {
      counts[ShardedGroupByKey.shardOf(LocalDate.of(2023, 1, 1).plusDays(d).toString(), shards)]++;
    }
    for (int c : counts) {
      // 50 expected per shard; a poor spread would leave a worker idle.
      assertThat(c, allOf(greaterThanOrEqualTo(30), lessThan(70)));
    }
  }

  @Test
  void aNegativeShardCountIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardedGroupByKey.into(-2));
    assertThat(e.getMessage(), containsString("-2"));
  }
}
