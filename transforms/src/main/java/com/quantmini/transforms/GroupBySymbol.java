package com.quantmini.transforms;

import com.quantmini.transforms.model.FeatureBlock;
import java.util.List;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Hands each bucket's symbols (with their features) to the per-symbol writers under the bucket's
 * key. WindowedFeatures emits exactly one block per bucket, so the blocks are already grouped:
 * no shuffle is needed. A GroupByKey here made the Direct runner copy every block through its
 * coder (gigabytes of features for a year of daily data) only to regroup one element per key.
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
        .setCoder(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(FeatureBlock.FeatureBlockCoder.of())));
  }

  static final class KeyByBucketFn extends DoFn<FeatureBlock, KV<String, Iterable<FeatureBlock>>> {
    @ProcessElement
    public void process(@Element FeatureBlock block, OutputReceiver<KV<String, Iterable<FeatureBlock>>> out) {
      out.output(KV.of(block.bucket(), List.of(block)));
    }
  }
}
