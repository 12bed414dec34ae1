package com.quantmini.pipeline;

import com.quantmini.io.ReadGzipCsv;
import com.quantmini.transforms.DropProcessed;
import com.quantmini.transforms.ParseBars;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.beam.sdk.PipelineResult;

/**
 * A progress line on stderr every few seconds while a job runs (stdout keeps the summary): files
 * and bytes read of those to process, rows parsed and their rate, the part of a run in parts, and
 * an estimate of the time left from the bytes read. The figures are the job's own metrics; runners
 * that report them only at the end (Flink, which has its own web UI) print nothing.
 */
final class Progress implements AutoCloseable {
  private final ScheduledExecutorService timer;

  private Progress(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts reporting on {@code result}; {@code part} is e.g. "part 2 of 5" or empty. */
  static Progress start(PipelineResult result, String part, int everySeconds, PrintStream err) {
    long t0 = System.nanoTime();
    return start(() -> snapshot(result, (System.nanoTime() - t0) / 1e9), part, everySeconds * 1000L, err);
  }

  /** Prints {@link #line} of what {@code counters} gives every {@code everyMillis}, first after as long. */
  static Progress start(Supplier<Snapshot> counters, String part, long everyMillis, PrintStream err) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> {
      try {
        err.println(line(counters.get(), part));
      } catch (RuntimeException e) {
        // metrics not available on this runner while it runs: stay silent
      }
    }, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    return new Progress(timer);
  }

  /** The job's counters now, {@code seconds} after it started. */
  static Snapshot snapshot(PipelineResult result, double seconds) {
    return new Snapshot(RunSummary.counter(result, ReadGzipCsv.class, "filesRead")
            + RunSummary.counter(result, ReadGzipCsv.class, "filesRejected"),
        RunSummary.counter(result, DropProcessed.class, "filesToProcess"),
        RunSummary.counter(result, ReadGzipCsv.class, ReadGzipCsv.LISTED_BYTES_DONE),
        RunSummary.counter(result, DropProcessed.class, DropProcessed.BYTES_TO_PROCESS),
        RunSummary.counter(result, ParseBars.class, "rowsParsed"), seconds);
  }

  /** A starter that reports nothing (--quiet, or a job nobody waits for). */
  static Progress none() {
    return new Progress(null);
  }

  /** Stops the lines; returns once a line being printed is done, so none follows the summary. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The job's counters at one moment. */
  record Snapshot(long filesDone, long filesTotal, long bytesDone, long bytesTotal, long rows, double seconds) {}

  /** One progress line (plain text, no Beam). */
  static String line(Snapshot s, String part) {
    StringBuilder b = new StringBuilder("progress:");
    if (!part.isEmpty()) {
      b.append(' ').append(part).append(',');
    }
    boolean allRead = s.bytesTotal() > 0 && s.bytesDone() >= s.bytesTotal();
    b.append(String.format(" files %d/%d read (%s of %s), %,d rows parsed", s.filesDone(), s.filesTotal(),
        mb(s.bytesDone()), mb(s.bytesTotal()), s.rows()));
    if (!allRead) { // the rate of the reading phase; after it, rows no longer grow
      b.append(String.format(" (%,.0f rows/s)", s.seconds() > 0 ? s.rows() / s.seconds() : 0.0));
    }
    b.append(", ").append(duration(s.seconds())).append(" elapsed");
    if (s.bytesDone() > 0 && !allRead) {
      b.append(", reading done in ~").append(duration(s.seconds() * (s.bytesTotal() - s.bytesDone()) / s.bytesDone()));
    } else if (allRead) {
      b.append(", all read: computing and writing");
    }
    return b.toString();
  }

  private static String mb(long bytes) {
    return bytes < 1_000_000 ? String.format("%.1f kB", bytes / 1e3) : String.format("%.1f MB", bytes / 1e6);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
        : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
