package com.quantmini.transforms;

import com.quantmini.transforms.model.FeatureBlock;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Gathers each bucket's symbols (with their features) under one key for the per-symbol writers.
 * WindowedFeatures already grouped bars by bucket, so this shuffle moves one element per key;
 * keys stay coarse (a few dozen per dataset), never one per symbol or contract.
 */
public final class GroupBySymbol
    extends PTransform<PCollection<FeatureBlock>, PCollection<KV<String, Iterable<FeatureBlock>>>> {
  private GroupBySymbol() {}

  public static GroupBySymbol create() {
    return new GroupBySymbol();
  }

  @Override
  public PCollection<KV<String, Iterable<FeatureBlock>>> expand(PCollection<FeatureBlock> blocks) {
    return blocks
        .apply("KeyByBucket", WithKeys.of(FeatureBlock::bucket).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), FeatureBlock.FeatureBlockCoder.of()))
        .apply("GroupBuckets", GroupByKey.create())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(FeatureBlock.FeatureBlockCoder.of())));
  }
}
