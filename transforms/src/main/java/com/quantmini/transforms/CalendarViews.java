package com.quantmini.transforms;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The side inputs {@link WindowedFeatures} and the Qlib writer share, as {@link RunCalendars} builds
 * them once per graph: each dataset's calendar after this run and before it, and the sessions this
 * run reads.
 */
public final class CalendarViews implements POutput {
  private static final TupleTag<Map<String, long[]>> CALENDARS = new TupleTag<>("calendars");
  private static final TupleTag<Map<String, long[]>> PRIOR = new TupleTag<>("prior");
  private static final TupleTag<Map<String, Iterable<String>>> FRESH = new TupleTag<>("fresh");
  private static final TupleTag<KV<String, long[]>> AFTER = new TupleTag<>("after");

  private final Pipeline pipeline;
  private final PCollectionView<Map<String, long[]>> calendars;
  private final PCollectionView<Map<String, long[]>> prior;
  private final PCollectionView<Map<String, Iterable<String>>> fresh;
  private final PCollection<KV<String, long[]>> after;

  CalendarViews(Pipeline pipeline, PCollection<KV<String, long[]>> after, PCollectionView<Map<String, long[]>> calendars,
      PCollectionView<Map<String, long[]>> prior, PCollectionView<Map<String, Iterable<String>>> fresh) {
    this.pipeline = pipeline;
    this.after = after;
    this.calendars = calendars;
    this.prior = prior;
    this.fresh = fresh;
  }

  /** Dataset → its slot times after this run. */
  public PCollectionView<Map<String, long[]>> calendars() {
    return calendars;
  }

  /** Each dataset's calendar after this run, as elements (what the state saves). */
  public PCollection<KV<String, long[]>> calendarsAfter() {
    return after;
  }

  /** Dataset → its slot times before this run (absent on a first run). */
  public PCollectionView<Map<String, long[]>> prior() {
    return prior;
  }

  /** Dataset → the sessions this run processed (absent: nothing new for that dataset). */
  public PCollectionView<Map<String, Iterable<String>>> fresh() {
    return fresh;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    Map<TupleTag<?>, PValue> out = new LinkedHashMap<>();
    out.put(CALENDARS, calendars);
    out.put(PRIOR, prior);
    out.put(FRESH, fresh);
    out.put(AFTER, after);
    return out;
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {
    for (PValue v : expand().values()) {
      v.finishSpecifyingOutput(transformName, input, transform);
    }
  }
}
