package com.quantmini.transforms;

import static com.quantmini.transforms.Checks.checkArgument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A GroupByKey whose keys share a fixed number of shards: the output is a GroupByKey's (one
 * element per key with all its values), but the runner groups by shard. The Direct runner makes a
 * bundle of every key that an input bundle holds and of every key's firing, and pays a fixed cost
 * per bundle (it translates the next step to its proto and refreshes every step's watermark): with
 * a key per session that cost was most of a daily run. A shard's keys are regrouped in memory,
 * where the Direct runner holds a group anyway. A cluster's shuffle has no such cost and spreads
 * keys over all its workers, so there it stays a plain GroupByKey.
 */
public final class ShardedGroupByKey<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {
  private static final int BY_RUNNER = -1;
  private final int shards;

  private ShardedGroupByKey(int shards) {
    this.shards = shards;
  }

  /**
   * Four shards per core on the Direct runner (enough for its workers to balance keys of unequal
   * size), a plain GroupByKey on any other runner.
   */
  public static <K, V> ShardedGroupByKey<K, V> create() {
    return new ShardedGroupByKey<>(BY_RUNNER);
  }

  /** {@code shards} groups, or a plain GroupByKey when 0. */
  public static <K, V> ShardedGroupByKey<K, V> into(int shards) {
    checkArgument(shards >= 0, "shards must not be negative: %s", shards);
    return new ShardedGroupByKey<>(shards);
  }

  /** The shards of the Direct runner on this host. */
  private static int directShards() {
    return 4 * Runtime.getRuntime().availableProcessors();
  }

  @Override
  public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> input) {
    int shards = this.shards != BY_RUNNER ? this.shards
        : DiskSync.inCommittingProcess(input.getPipeline().getOptions()) ? directShards() : 0;
    if (shards == 0) {
      return input.apply("GroupByKey", GroupByKey.create());
    }
    @SuppressWarnings("unchecked")
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    checkArgument(coder.getKeyCoder().consistentWithEquals(),
        "the key coder must be consistent with equals to shard by the key's hash: %s", coder.getKeyCoder());
    return input
        .apply("KeyByShard", ParDo.of(new KeyByShardFn<K, V>(shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("GroupByShard", GroupByKey.create())
        .apply("RegroupByKey", ParDo.of(new RegroupFn<K, V>()))
        .setCoder(KvCoder.of(coder.getKeyCoder(), IterableCoder.of(coder.getValueCoder())));
  }

  /** The shard of a key: its hash, spread, modulo the shard count. */
  static int shardOf(Object key, int shards) {
    int h = key.hashCode() * 0x9E3779B9;
    return Math.floorMod(h ^ (h >>> 16), shards);
  }

  static final class KeyByShardFn<K, V> extends DoFn<KV<K, V>, KV<Integer, KV<K, V>>> {
    private final int shards;

    KeyByShardFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element KV<K, V> kv, OutputReceiver<KV<Integer, KV<K, V>>> out) {
      out.output(KV.of(shardOf(kv.getKey(), shards), kv));
    }
  }

  static final class RegroupFn<K, V> extends DoFn<KV<Integer, Iterable<KV<K, V>>>, KV<K, Iterable<V>>> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<K, V>>> shard, OutputReceiver<KV<K, Iterable<V>>> out) {
      for (Map.Entry<K, List<V>> e : regroup(shard.getValue()).entrySet()) {
        out.output(KV.of(e.getKey(), e.getValue()));
      }
    }
  }

  /** A shard's pairs by key, keys in order of first appearance. */
  static <K, V> Map<K, List<V>> regroup(Iterable<KV<K, V>> pairs) {
    Map<K, List<V>> byKey = new LinkedHashMap<>();
    for (KV<K, V> kv : pairs) {
      byKey.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
    }
    return byKey;
  }
}
