package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The sessions of this run per dataset: dataset → its distinct sessions (sorted), as a map side
 * input. Combined per dataset rather than made distinct per session: the Direct runner pays a
 * bundle per key, and a key per session cost a daily run thousands of bundles.
 */
public final class FreshSessions
    extends PTransform<PCollection<BarBlock>, PCollectionView<Map<String, Iterable<String>>>> {
  private FreshSessions() {}

  public static FreshSessions of() {
    return new FreshSessions();
  }

  @Override
  public PCollectionView<Map<String, Iterable<String>>> expand(PCollection<BarBlock> sessions) {
    return sessions
        .apply("SessionOfBlock", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via((BarBlock b) -> KV.of(b.dataset(), b.session())))
        .apply("DistinctSessions", Combine.perKey(new DistinctFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(StringUtf8Coder.of())))
        .apply("FreshAsMap", View.asMap());
  }

  /** A key's distinct values, sorted. */
  static final class DistinctFn extends Combine.CombineFn<String, Set<String>, Iterable<String>> {
    @Override
    public Set<String> createAccumulator() {
      return new HashSet<>();
    }

    @Override
    public Set<String> addInput(Set<String> acc, String session) {
      acc.add(session);
      return acc;
    }

    @Override
    public Set<String> mergeAccumulators(Iterable<Set<String>> accs) {
      Set<String> all = new HashSet<>();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public Iterable<String> extractOutput(Set<String> acc) {
      List<String> sorted = new ArrayList<>(acc);
      sorted.sort(null);
      return sorted;
    }

    @Override
    public Coder<Set<String>> getAccumulatorCoder(CoderRegistry registry, Coder<String> input) {
      return SetCoder.of(StringUtf8Coder.of());
    }
  }
}
