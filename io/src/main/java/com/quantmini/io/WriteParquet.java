package com.quantmini.io;

import com.quantmini.transforms.model.BarBlock;
import java.io.IOException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes each session block as {@code <root>/bronze/<dataset>/year=YYYY/month=MM/<date>.parquet},
 * replacing that file atomically, so a re-run of a session replaces exactly its file. Rows go out
 * in block order (ParseBars sorted them by ticker, then window_start). Returns
 * {@code KV<source key, path written>}.
 */
public final class WriteParquet extends PTransform<PCollection<BarBlock>, PCollection<KV<String, String>>> {
  private final String root;
  private final long rowGroupBytes;

  private WriteParquet(String root, long rowGroupBytes) {
    this.root = root;
    this.rowGroupBytes = rowGroupBytes;
  }

  public static WriteParquet bronze(String root, int rowGroupMb) {
    com.quantmini.transforms.Checks.checkArgument(rowGroupMb >= 1, "row group must be >= 1 MB, was %s", rowGroupMb);
    return new WriteParquet(root, rowGroupMb * (1L << 20));
  }

  /** Where a dataset's session file lives under the lake root. */
  public static String sessionPath(String root, String layer, String dataset, String session) {
    return root + "/" + layer + "/" + dataset + "/year=" + session.substring(0, 4) + "/month="
        + session.substring(5, 7) + "/" + session + ".parquet";
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<BarBlock> sessions) {
    return sessions.apply("WriteBronzeFiles", ParDo.of(new WriteFn(root, rowGroupBytes)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
  }

  static final class WriteFn extends DoFn<BarBlock, KV<String, String>> {
    private final Counter rows = Metrics.counter(WriteParquet.class, "bronzeRowsWritten");
    private final Counter files = Metrics.counter(WriteParquet.class, "bronzeFilesWritten");
    private final Distribution millis = Metrics.distribution(WriteParquet.class, "bronzeWriteMillis");
    private final String root;
    private final long rowGroupBytes;

    WriteFn(String root, long rowGroupBytes) {
      this.root = root;
      this.rowGroupBytes = rowGroupBytes;
    }

    @ProcessElement
    public void process(@Element BarBlock block, OutputReceiver<KV<String, String>> out) throws IOException {
      long t0 = System.nanoTime();
      String path = sessionPath(root, "bronze", block.dataset(), block.session());
      AtomicFiles.write(AtomicFiles.resource(path), tmp -> BarParquet.write(block, tmp, rowGroupBytes));
      rows.inc(block.size());
      files.inc();
      millis.update((System.nanoTime() - t0) / 1_000_000);
      out.output(KV.of(block.source(), path));
    }
  }
}
