package com.quantmini.io;

import com.quantmini.transforms.CalendarViews;
import com.quantmini.transforms.DiskSync;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.StateStore;
import java.io.IOException;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Saves the calendar of every dataset this run read sessions of to the state store, which the
 * next run extends; a dataset with nothing new keeps its state as it is. Independent of the
 * outputs, so a run without Qlib keeps its state the same way.
 */
public final class SaveCalendars extends PTransform<PBegin, PCollection<String>> {
  private final CalendarViews views;
  private final StateStore store;

  private SaveCalendars(CalendarViews views, StateStore store) {
    this.views = views;
    this.store = store;
  }

  public static SaveCalendars of(CalendarViews views, StateStore store) {
    return new SaveCalendars(views, store);
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    PCollectionView<Map<String, Iterable<String>>> fresh = views.fresh();
    return views.calendarsAfter()
        .apply("SaveCalendar", ParDo.of(new SaveFn(store, fresh)).withSideInputs(fresh));
  }

  static final class SaveFn extends DoFn<KV<String, long[]>, String> {
    private final StateStore store;
    private final PCollectionView<Map<String, Iterable<String>>> freshView;

    SaveFn(StateStore store, PCollectionView<Map<String, Iterable<String>>> freshView) {
      this.store = store;
      this.freshView = freshView;
    }

    @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), store.syncPath());
    }

    @ProcessElement
    public void process(@Element KV<String, long[]> calendar, ProcessContext c) throws IOException {
      if (!c.sideInput(freshView).containsKey(calendar.getKey())) {
        return; // nothing new for this dataset
      }
      store.saveCalendar(Dataset.valueOf(calendar.getKey()), calendar.getValue());
      c.output(calendar.getKey());
    }
  }
}
