package com.quantmini.io;

import com.quantmini.io.lake.MonthCompaction;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the commit: brings the committed daily datasets' month files ({@link MonthCompaction}) up
 * to date. The run's outputs are already published, and month files are only a faster copy for
 * readers, so a failure here is logged and counted, never a failed run: readers use the session
 * files of a stale month, and the next run or {@code compact} retries.
 */
public final class CompactMonths extends PTransform<PCollection<String>, PCollection<String>> {
  private final String output;

  private CompactMonths(String output) {
    this.output = output;
  }

  /** Compacts, under {@code output}, each dataset of the input (the committed ones). */
  public static CompactMonths in(String output) {
    return new CompactMonths(output);
  }

  @Override
  public PCollection<String> expand(PCollection<String> committed) {
    return committed.apply("Compact", ParDo.of(new CompactFn(output)));
  }

  static final class CompactFn extends DoFn<String, String> {
    private static final Logger LOG = LoggerFactory.getLogger(CompactMonths.class);
    private final Counter written = Metrics.counter(CompactMonths.class, "monthFilesWritten");
    private final Counter failed = Metrics.counter(CompactMonths.class, "compactionsFailed");
    private final String output;

    CompactFn(String output) {
      this.output = output;
    }

    @ProcessElement
    public void process(@Element String dataset, OutputReceiver<String> out) {
      Dataset ds = Dataset.parse(dataset);
      if (!MonthCompaction.applies(ds)) {
        return;
      }
      try {
        MonthCompaction.Outcome o = MonthCompaction.compact(Path.of(output), ds);
        written.inc(o.rebuilt());
        out.output(o.toString());
      } catch (IOException | SQLException | RuntimeException e) {
        failed.inc();
        LOG.warn("month files of {} not brought up to date (queries read its session files): {}", ds, e.toString());
      }
    }
  }
}
