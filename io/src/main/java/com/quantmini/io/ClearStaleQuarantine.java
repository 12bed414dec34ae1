package com.quantmini.io;

import com.quantmini.transforms.DiskSync;
import com.quantmini.transforms.model.FileLedger;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Removes the quarantine file of every session read whole with no row quarantined: a republished
 * or reprocessed session that is clean now must not keep the records of its earlier version
 * ({@link WriteDeadLetters} replaces the file of a session that has some). Input: ParseBars' file
 * ledgers (dataset → what each file gave); returns the paths removed (or
 * already absent).
 */
public final class ClearStaleQuarantine extends PTransform<PCollection<KV<String, FileLedger>>, PCollection<String>> {
  private final String root;

  private ClearStaleQuarantine(String root) {
    this.root = root;
  }

  /** {@code root}: the output whose {@code quarantine/} folder is cleared. */
  public static ClearStaleQuarantine in(String root) {
    return new ClearStaleQuarantine(root);
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, FileLedger>> files) {
    return files.apply("DeleteCleanSessions", ParDo.of(new ClearFn(root)));
  }

  static final class ClearFn extends DoFn<KV<String, FileLedger>, String> {
    private final String root;

    ClearFn(String root) {
      this.root = root;
    }

    @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), root);
    }

    @ProcessElement
    public void process(@Element KV<String, FileLedger> file, OutputReceiver<String> out) throws IOException {
      if (file.getValue().quarantined() != 0) {
        return; // WriteDeadLetters replaces this session's file
      }
      String path = WriteParquet.sessionPath(root, "quarantine", file.getKey(), file.getValue().session())
          .replace(".parquet", ".jsonl");
      FileSystems.delete(List.of(AtomicFiles.resource(path)), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      out.output(path);
    }
  }
}
