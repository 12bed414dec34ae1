package com.quantmini.pipeline;

import com.quantmini.io.ListKeys;
import com.quantmini.io.ReadGzipCsv;
import com.quantmini.io.WriteDeadLetters;
import com.quantmini.io.WriteParquet;
import com.quantmini.io.WriteQlibBin;
import com.quantmini.transforms.DropProcessed;
import com.quantmini.transforms.ParseBars;
import com.quantmini.transforms.WindowedFeatures;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The figures a run reports at the end, read from Beam metrics (attempted values). */
public final class RunSummary {
  public final long keysListed;
  public final long sessionsMissing;
  public final long filesRead;
  public final long filesRejected;
  public final long rowsParsed;
  public final long rowsRejected;
  public final long rowsExactDuplicate;
  public final long rowsDuplicateConflict;
  public final long bronzeRows;
  public final long quarantineRecords;
  public final long qlibSymbols;
  public final double seconds;
  public final long filesToProcess;
  public final long filesAlreadyProcessed;
  /** Buckets whose history was replayed (a change older than the remembered tails). */
  public final long historyReplays;
  /** Time spent inside each step's work, summed over workers (steps overlap in wall time). */
  public final Map<String, Double> stepSeconds = new LinkedHashMap<>();

  private RunSummary(PipelineResult r, double seconds) {
    keysListed = counter(r, ListKeys.class, "keysListed");
    sessionsMissing = counter(r, ListKeys.class, "sessionsMissing");
    filesRead = counter(r, ReadGzipCsv.class, "filesRead");
    filesRejected = counter(r, ReadGzipCsv.class, "filesRejected");
    rowsParsed = counter(r, ParseBars.class, "rowsParsed");
    rowsRejected = counter(r, ParseBars.class, "rowsRejected");
    rowsExactDuplicate = counter(r, ParseBars.class, "rowsExactDuplicate");
    rowsDuplicateConflict = counter(r, ParseBars.class, "rowsDuplicateConflict");
    bronzeRows = counter(r, WriteParquet.class, "bronzeRowsWritten");
    quarantineRecords = counter(r, WriteDeadLetters.class, "quarantineRecords");
    qlibSymbols = counter(r, WriteQlibBin.class, "symbolsWritten");
    this.seconds = seconds;
    filesToProcess = counter(r, DropProcessed.class, "filesToProcess");
    filesAlreadyProcessed = counter(r, DropProcessed.class, "filesAlreadyProcessed");
    historyReplays = counter(r, WindowedFeatures.class, "historyReplays");
    stepSeconds.put("read", distributionSum(r, ReadGzipCsv.class, "readMicros") / 1e6);
    stepSeconds.put("parse", distributionSum(r, ParseBars.class, "parseMicros") / 1e6);
    stepSeconds.put("assemble", distributionSum(r, ParseBars.class, "assembleMicros") / 1e6);
    stepSeconds.put("bronze", distributionSum(r, WriteParquet.class, "bronzeWriteMillis") / 1e3);
    stepSeconds.put("features", distributionSum(r, WindowedFeatures.class, "bucketMillis") / 1e3);
    stepSeconds.put("silver", distributionSum(r, WriteParquet.class, "silverWriteMillis") / 1e3);
    stepSeconds.put("qlib", distributionSum(r, WriteQlibBin.class, "qlibWriteMicros") / 1e6);
  }

  /** Sum of a distribution's values over all steps that report it. */
  public static long distributionSum(PipelineResult r, Class<?> ns, String name) {
    long sum = 0;
    for (MetricResult<DistributionResult> m : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ns, name)).build()).getDistributions()) {
      sum += m.getAttempted().getSum();
    }
    return sum;
  }

  public static RunSummary of(PipelineResult r, double seconds) {
    return new RunSummary(r, seconds);
  }

  public static long counter(PipelineResult r, Class<?> ns, String name) {
    long sum = 0;
    for (MetricResult<Long> m : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ns, name)).build()).getCounters()) {
      sum += m.getAttempted();
    }
    return sum;
  }

  public String describe() {
    if (filesToProcess == 0 && filesRejected == 0) {
      return String.format("nothing new: %d file(s) listed, all already processed; %.1f s", keysListed, seconds);
    }
    return String.format(
        "files: %d listed, %d already processed, %d read, %d rejected whole; sessions missing in source: %d%n"
            + "rows: %d parsed, %d quarantined (+%d conflicting duplicates), %d exact duplicates "
            + "dropped, %d written to bronze%nqlib: %d symbols; quarantine records: %d; %.1f s",
        keysListed, filesAlreadyProcessed, filesRead, filesRejected, sessionsMissing, rowsParsed, rowsRejected,
        rowsDuplicateConflict, rowsExactDuplicate, bronzeRows, qlibSymbols, quarantineRecords, seconds)
        + (historyReplays == 0 ? "" : String.format("%nhistory replayed for %d bucket(s): a change older than "
            + "the remembered tails", historyReplays))
        + String.format("%nsteps (worker seconds, overlapping): %s", steps());
  }

  private String steps() {
    StringBuilder b = new StringBuilder();
    stepSeconds.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(String.format("%s %.1f", k, v)));
    return b.toString();
  }
}
