package com.quantmini.transforms;

import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.FileKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Keeps only the files with new work: not in the manifest (a side input, key → ETag), in it with
 * another ETag (the provider republished the day), or on a session the user asked to redo. With
 * {@link #redoingOptionsOfNewStockSessions}, an options file is also redone when the stocks_daily
 * file of its session is new work (republished or back-filled): its moneyness divides by the
 * underlying's close of that session.
 */
public final class DropProcessed extends PTransform<PCollection<FileKey>, PCollection<FileKey>> {
  private final PCollectionView<Map<String, String>> manifest;
  private final Set<String> reprocess;
  private final boolean optionsFollowStocks;

  private DropProcessed(PCollectionView<Map<String, String>> manifest, Set<String> reprocess,
      boolean optionsFollowStocks) {
    this.manifest = manifest;
    this.reprocess = reprocess;
    this.optionsFollowStocks = optionsFollowStocks;
  }

  /** {@code reprocess}: ISO session dates to redo whatever the manifest says. */
  public static DropProcessed against(PCollectionView<Map<String, String>> manifest, Set<String> reprocess) {
    return new DropProcessed(manifest, Set.copyOf(reprocess), false);
  }

  /** Also redoes the options files of every session whose stocks_daily file is new work. */
  public DropProcessed redoingOptionsOfNewStockSessions() {
    return new DropProcessed(manifest, reprocess, true);
  }

  @Override
  public PCollection<FileKey> expand(PCollection<FileKey> keys) {
    if (!optionsFollowStocks) {
      return keys.apply("KeepNewWork", ParDo.of(new KeepFn(manifest, reprocess, null)).withSideInputs(manifest))
          .setCoder(keys.getCoder());
    }
    // A side input, no shuffle: one session per stocks_daily file, and a Flink task manager's
    // network buffers are sized by the graph's shuffles.
    PCollectionView<List<String>> stockSessions = keys
        .apply("NewStockSessions", ParDo.of(new NewStockSessionsFn(manifest, reprocess)).withSideInputs(manifest))
        .setCoder(StringUtf8Coder.of())
        .apply("StockSessionsAsList", View.asList());
    return keys.apply("KeepNewWork", ParDo.of(new KeepFn(manifest, reprocess, stockSessions))
            .withSideInputs(manifest, stockSessions))
        .setCoder(keys.getCoder());
  }

  /**
   * True when the manifest lacks the file, has another version of it, or its session is to be
   * redone: {@code reprocess} holds sessions of every dataset ({@code YYYY-MM-DD}) or of one
   * ({@code <dataset>/YYYY-MM-DD}).
   */
  static boolean newWork(FileKey k, Map<String, String> manifest, Set<String> reprocess) {
    String etag = manifest.get(k.getKey());
    return etag == null || !etag.equals(k.getEtag()) || reprocess.contains(k.getSession())
        || reprocess.contains(k.getDataset() + "/" + k.getSession());
  }

  /**
   * Whether an options file must be done again because its underlyings' bars of that session are:
   * daily and minute contracts take the stocks_daily close (moneyness), minute contracts also the
   * stocks_minute closes (implied volatility). {@code stockSessions} holds {@code <dataset>:<session>}.
   */
  static boolean followsStocks(FileKey k, List<String> stockSessions) {
    Dataset d = Dataset.valueOf(k.getDataset());
    return d.isOptions() && (stockSessions.contains(Dataset.stocks_daily + ":" + k.getSession())
        || (d == Dataset.options_minute && stockSessions.contains(Dataset.stocks_minute + ":" + k.getSession())));
  }

  /** Sessions of stocks_daily and stocks_minute files with new work. */
  static final class NewStockSessionsFn extends DoFn<FileKey, String> {
    private final PCollectionView<Map<String, String>> manifest;
    private final Set<String> reprocess;

    NewStockSessionsFn(PCollectionView<Map<String, String>> manifest, Set<String> reprocess) {
      this.manifest = manifest;
      this.reprocess = reprocess;
    }

    @ProcessElement
    public void process(@Element FileKey k, OutputReceiver<String> out, ProcessContext c) {
      if ((k.getDataset().equals(Dataset.stocks_daily.name()) || k.getDataset().equals(Dataset.stocks_minute.name()))
          && newWork(k, c.sideInput(manifest), reprocess)) {
        out.output(k.getDataset() + ":" + k.getSession());
      }
    }
  }

  /** Prefix of the counters {@code session:<why>:<dataset>:<session>} of the files a run does. */
  public static final String SESSION = "session:";
  /** A file the manifest lacks. */
  public static final String NEW = "new";
  /** A file the manifest has in another version (checksum or etag). */
  public static final String REPUBLISHED = "republished";
  /** A file done again although unchanged (--reprocess, late corporate actions, options following stocks). */
  public static final String REDONE = "redone";

  /** Counter of the listed size of the files to process (the progress line's total). */
  public static final String BYTES_TO_PROCESS = "bytesToProcess";

  static final class KeepFn extends DoFn<FileKey, FileKey> {
    private final Counter skipped = Metrics.counter(DropProcessed.class, "filesAlreadyProcessed");
    private final Counter changed = Metrics.counter(DropProcessed.class, "filesRepublished");
    private final Counter kept = Metrics.counter(DropProcessed.class, "filesToProcess");
    private final Counter keptBytes = Metrics.counter(DropProcessed.class, BYTES_TO_PROCESS);
    private final Counter followed = Metrics.counter(DropProcessed.class, "optionsFilesRedoneForStocks");
    private final PCollectionView<Map<String, String>> manifest;
    private final Set<String> reprocess;
    private final PCollectionView<List<String>> stockSessions;

    KeepFn(PCollectionView<Map<String, String>> manifest, Set<String> reprocess,
        PCollectionView<List<String>> stockSessions) {
      this.manifest = manifest;
      this.reprocess = reprocess;
      this.stockSessions = stockSessions;
    }

    @ProcessElement
    public void process(@Element FileKey k, OutputReceiver<FileKey> out, ProcessContext c) {
      Map<String, String> processed = c.sideInput(manifest);
      if (!newWork(k, processed, reprocess)) {
        if (stockSessions == null || !followsStocks(k, c.sideInput(stockSessions))) {
          skipped.inc();
          return;
        }
        followed.inc();
      }
      String etag = processed.get(k.getKey());
      if (etag != null && !etag.equals(k.getEtag())) {
        changed.inc();
      }
      // Why each session is done, for the summary (a late file, a republished one, ...).
      String why = etag == null ? NEW : !etag.equals(k.getEtag()) ? REPUBLISHED : REDONE;
      Metrics.counter(DropProcessed.class, SESSION + why + ":" + k.getDataset() + ":" + k.getSession()).inc();
      kept.inc();
      keptBytes.inc(k.getSizeBytes());
      out.output(k);
    }
  }
}
