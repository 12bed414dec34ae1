package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Brings every bar of a symbol together, many symbols per element: each session block is cut into
 * slices by a hash bucket of the Qlib instrument (of the underlying, for options, so a chain stays
 * together), and slices are grouped per dataset and bucket. Coarse keys matter: on the Direct
 * runner every key after a GroupByKey costs milliseconds of fixed work. For options,
 * {@code underlyings} (when not empty) limits which contracts go on to the Qlib export.
 */
public final class GroupBySymbol
    extends PTransform<PCollection<BarBlock>, PCollection<KV<String, Iterable<BarBlock>>>> {
  private final int buckets;
  private final Set<String> underlyings;

  private GroupBySymbol(int buckets, Set<String> underlyings) {
    this.buckets = buckets;
    this.underlyings = underlyings;
  }

  public static GroupBySymbol into(int buckets, List<String> optionUnderlyings) {
    Checks.checkArgument(buckets >= 1 && buckets <= 4096, "buckets must be in 1..4096, was %s", buckets);
    return new GroupBySymbol(buckets, Set.copyOf(optionUnderlyings));
  }

  /** Key of the group a bar belongs to: {@code <dataset>/<bucket>}. */
  public static String bucketKey(Dataset dataset, String ticker, int buckets) {
    String basis = ticker;
    if (dataset.isOptions()) {
      OptionsTicker t = OptionsTicker.parse(ticker);
      basis = t == null ? ticker : t.underlying();
    }
    return dataset.name() + "/" + Math.floorMod(basis.hashCode(), buckets);
  }

  @Override
  public PCollection<KV<String, Iterable<BarBlock>>> expand(PCollection<BarBlock> sessions) {
    return sessions
        .apply("SliceByBucket", ParDo.of(new SliceFn(buckets, underlyings)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), BarBlock.BlockCoder.of()))
        .apply("GroupBuckets", GroupByKey.create())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(BarBlock.BlockCoder.of())));
  }

  static final class SliceFn extends DoFn<BarBlock, KV<String, BarBlock>> {
    private final Counter skipped = Metrics.counter(GroupBySymbol.class, "optionRowsNotExported");
    private final int buckets;
    private final Set<String> underlyings;

    SliceFn(int buckets, Set<String> underlyings) {
      this.buckets = buckets;
      this.underlyings = underlyings;
    }

    @ProcessElement
    public void process(@Element BarBlock block, OutputReceiver<KV<String, BarBlock>> out) {
      Dataset ds = block.datasetEnum();
      Map<String, BarBlock.Builder> slices = new HashMap<>();
      String prevTicker = null;
      BarBlock.Builder prev = null;
      for (int i = 0; i < block.size(); i++) {
        String t = block.ticker(i);
        if (t != prevTicker) {
          prevTicker = t;
          if (ds.isOptions() && !underlyings.isEmpty()
              && !underlyings.contains(OptionsTicker.parse(t).underlying())) {
            prev = null;
          } else {
            String key = bucketKey(ds, t, buckets);
            prev = slices.computeIfAbsent(key,
                k -> BarBlock.builder(block.dataset(), block.source(), block.session(), 256));
          }
        }
        if (prev == null) {
          skipped.inc();
        } else {
          prev.add(block, i);
        }
      }
      slices.forEach((k, b) -> out.output(KV.of(k, b.build())));
    }
  }
}
