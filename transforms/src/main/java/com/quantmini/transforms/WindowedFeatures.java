package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.FeatureBlock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Computes every symbol's features over its whole series on the dataset's calendar (a missing
 * session is a NaN slot, as in Qlib). Session blocks are cut into slices by a hash bucket of the
 * instrument (of the underlying for options, so a chain stays together) and grouped per dataset
 * and bucket: many symbols per element, few keys. For options, stocks_daily closes of the same
 * buckets join the group so moneyness can use the underlying's close of the same session.
 * Emits one {@link FeatureBlock} per bucket.
 */
public final class WindowedFeatures extends PTransform<PCollection<BarBlock>, PCollection<FeatureBlock>> {
  private final PCollection<KV<String, long[]>> calendars;
  private final int buckets;
  private final List<String> families;
  private final Set<Dataset> datasets;

  private WindowedFeatures(PCollection<KV<String, long[]>> calendars, int buckets, List<String> families,
      Set<Dataset> datasets) {
    this.calendars = calendars;
    this.buckets = buckets;
    this.families = families;
    this.datasets = datasets;
  }

  /**
   * @param calendars each dataset's slot times ({@link TradingCalendar})
   * @param families "alpha158" and/or "seed"
   * @param datasets the datasets of this run (decides where stock closes are needed)
   */
  public static WindowedFeatures over(PCollection<KV<String, long[]>> calendars, int buckets,
      List<String> families, Set<Dataset> datasets) {
    Checks.checkArgument(buckets >= 1 && buckets <= 4096, "buckets must be in 1..4096, was %s", buckets);
    for (String f : families) {
      Checks.checkArgument(f.equals("alpha158") || f.equals("seed"),
          "unknown feature family '%s', expected alpha158 or seed", f);
    }
    return new WindowedFeatures(calendars, buckets, List.copyOf(families), Set.copyOf(datasets));
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
  public PCollection<FeatureBlock> expand(PCollection<BarBlock> sessions) {
    PCollectionView<Map<String, long[]>> calendarView = calendars.apply("CalendarAsMap", View.asMap());
    List<Dataset> optionTargets = new ArrayList<>();
    if (seedNeedsCloses()) {
      datasets.stream().filter(Dataset::isOptions).forEach(optionTargets::add);
    }
    return sessions
        .apply("SliceByBucket", ParDo.of(new SliceFn(buckets, optionTargets)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), BarBlock.BlockCoder.of()))
        .apply("GroupBuckets", GroupByKey.create())
        .apply("ComputeFeatures", ParDo.of(new ComputeFn(calendarView, families)).withSideInputs(calendarView))
        .setCoder(FeatureBlock.FeatureBlockCoder.of());
  }

  private boolean seedNeedsCloses() {
    return FeatureMath.seed(families) && datasets.contains(Dataset.stocks_daily);
  }

  /** Cuts a session block into one slice per bucket; stock closes also go to the option buckets. */
  static final class SliceFn extends DoFn<BarBlock, KV<String, BarBlock>> {
    private final int buckets;
    private final List<Dataset> optionTargets;

    SliceFn(int buckets, List<Dataset> optionTargets) {
      this.buckets = buckets;
      this.optionTargets = optionTargets;
    }

    @ProcessElement
    public void process(@Element BarBlock block, OutputReceiver<KV<String, BarBlock>> out) {
      Dataset ds = block.datasetEnum();
      slice(block, ds, out);
      if (ds == Dataset.stocks_daily) {
        for (Dataset target : optionTargets) {
          slice(block, target, out);
        }
      }
    }

    private void slice(BarBlock block, Dataset keyDataset, OutputReceiver<KV<String, BarBlock>> out) {
      Map<String, BarBlock.Builder> slices = new HashMap<>();
      String prevTicker = null;
      BarBlock.Builder prev = null;
      for (int i = 0; i < block.size(); i++) {
        String t = block.ticker(i);
        if (!t.equals(prevTicker)) {
          prevTicker = t;
          String key = bucketKey(block.datasetEnum() == keyDataset ? keyDataset : Dataset.stocks_daily, t, buckets);
          String target = keyDataset.name() + key.substring(key.indexOf('/'));
          prev = slices.computeIfAbsent(target,
              k -> BarBlock.builder(block.dataset(), block.source(), block.session(), 256));
        }
        prev.add(block, i);
      }
      slices.forEach((k, b) -> out.output(KV.of(k, b.build())));
    }
  }

  static final class ComputeFn extends DoFn<KV<String, Iterable<BarBlock>>, FeatureBlock> {
    private final Counter symbols = Metrics.counter(WindowedFeatures.class, "symbolsComputed");
    private final Counter values = Metrics.counter(WindowedFeatures.class, "featureValues");
    private final Distribution millis = Metrics.distribution(WindowedFeatures.class, "bucketMillis");
    private final PCollectionView<Map<String, long[]>> calendarView;
    private final List<String> families;

    ComputeFn(PCollectionView<Map<String, long[]>> calendarView, List<String> families) {
      this.calendarView = calendarView;
      this.families = families;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<BarBlock>> bucket, ProcessContext c) {
      long t0 = System.nanoTime();
      String dsName = bucket.getKey().substring(0, bucket.getKey().indexOf('/'));
      Dataset ds = Dataset.valueOf(dsName);
      long[] calendar = c.sideInput(calendarView).get(dsName);
      List<BarBlock> own = new ArrayList<>();
      Map<String, Map<Long, Double>> closes = new HashMap<>();
      for (BarBlock b : bucket.getValue()) {
        if (b.dataset().equals(dsName)) {
          own.add(b);
        } else {
          long day = LocalDate.parse(b.session()).toEpochDay();
          for (int i = 0; i < b.size(); i++) {
            closes.computeIfAbsent(b.ticker(i), k -> new HashMap<>()).put(day, b.close(i));
          }
        }
      }
      if (own.isEmpty()) {
        return;
      }
      List<FeatureBlock.Symbol> out = new ArrayList<>();
      for (SymbolSeries s : SymbolSeries.assemble(own, calendar, ds)) {
        FeatureBlock.Symbol f = FeatureMath.compute(s, ds, calendar, families, closes);
        out.add(f);
        values.inc((long) s.length() * (f.floats.length + f.doubles.length));
      }
      symbols.inc(out.size());
      c.output(new FeatureBlock(dsName, bucket.getKey(), FeatureMath.floatNames(ds, families),
          FeatureMath.doubleNames(ds, families), out));
      millis.update((System.nanoTime() - t0) / 1_000_000);
    }
  }
}
