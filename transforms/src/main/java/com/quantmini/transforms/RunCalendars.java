package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The run's calendars as side inputs: {@link TradingCalendar} over the sessions, the calendars
 * before the run, and {@link FreshSessions}. One step, so the features and the Qlib writer read the
 * same views instead of each building its own.
 */
public final class RunCalendars extends PTransform<PCollection<BarBlock>, CalendarViews> {
  private final PCollection<KV<String, long[]>> prior;

  private RunCalendars(PCollection<KV<String, long[]>> prior) {
    this.prior = prior;
  }

  /** {@code prior}: each dataset's calendar before this run (empty on a first run). */
  public static RunCalendars extending(PCollection<KV<String, long[]>> prior) {
    return new RunCalendars(prior);
  }

  @Override
  public CalendarViews expand(PCollection<BarBlock> sessions) {
    PCollection<KV<String, long[]>> after = sessions.apply("TradingCalendar", TradingCalendar.extending(prior));
    return new CalendarViews(sessions.getPipeline(), after, after.apply("CalendarAsMap", View.asMap()),
        prior.apply("PriorCalendarAsMap", View.asMap()), sessions.apply("FreshSessions", FreshSessions.of()));
  }
}
