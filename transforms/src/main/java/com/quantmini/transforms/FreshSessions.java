package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import java.util.Map;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/** The sessions of this run per dataset: dataset → its distinct sessions, as a multimap side input. */
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
        .apply("DistinctSessions", Distinct.create())
        .apply("FreshAsMultimap", View.asMultimap());
  }
}
