package com.quantmini.transforms;

import com.quantmini.transforms.model.FeatureBlock;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Groups the feature blocks by symbol bucket for the per-symbol writers: every symbol of a bucket,
 * whichever worker computed it, reaches one writer call, which writes its Qlib files and its
 * all.txt lines. On the Direct runner the blocks are handles (names and a path, see
 * {@code BlockStore}), so the shuffle moves a few bytes per bucket; on a cluster it moves the
 * features once more.
 */
public final class GroupBySymbol
    extends PTransform<PCollection<FeatureBlock>, PCollection<KV<String, Iterable<FeatureBlock>>>> {
  private GroupBySymbol() {}

  public static GroupBySymbol create() {
    return new GroupBySymbol();
  }

  @Override
  public PCollection<KV<String, Iterable<FeatureBlock>>> expand(PCollection<FeatureBlock> blocks) {
    return blocks.apply("KeyByBucket", ParDo.of(new KeyByBucketFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), FeatureBlock.FeatureBlockCoder.of()))
        .apply("GroupByBucket", ShardedGroupByKey.create());
  }

  static final class KeyByBucketFn extends DoFn<FeatureBlock, KV<String, FeatureBlock>> {
    @ProcessElement
    public void process(@Element FeatureBlock block, OutputReceiver<KV<String, FeatureBlock>> out) {
      out.output(KV.of(block.bucket(), block));
    }
  }
}
