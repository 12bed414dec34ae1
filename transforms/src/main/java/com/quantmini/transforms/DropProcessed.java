package com.quantmini.transforms;

import com.quantmini.transforms.model.FileKey;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Keeps only the files with new work: not in the manifest (a side input, key → ETag), in it with
 * another ETag (the provider republished the day), or on a session the user asked to redo.
 */
public final class DropProcessed extends PTransform<PCollection<FileKey>, PCollection<FileKey>> {
  private final PCollectionView<Map<String, String>> manifest;
  private final Set<String> reprocess;

  private DropProcessed(PCollectionView<Map<String, String>> manifest, Set<String> reprocess) {
    this.manifest = manifest;
    this.reprocess = reprocess;
  }

  /** {@code reprocess}: ISO session dates to redo whatever the manifest says. */
  public static DropProcessed against(PCollectionView<Map<String, String>> manifest, Set<String> reprocess) {
    return new DropProcessed(manifest, Set.copyOf(reprocess));
  }

  @Override
  public PCollection<FileKey> expand(PCollection<FileKey> keys) {
    return keys.apply("KeepNewWork", ParDo.of(new KeepFn(manifest, reprocess)).withSideInputs(manifest))
        .setCoder(keys.getCoder());
  }

  static final class KeepFn extends DoFn<FileKey, FileKey> {
    private final Counter skipped = Metrics.counter(DropProcessed.class, "filesAlreadyProcessed");
    private final Counter changed = Metrics.counter(DropProcessed.class, "filesRepublished");
    private final Counter kept = Metrics.counter(DropProcessed.class, "filesToProcess");
    private final PCollectionView<Map<String, String>> manifest;
    private final Set<String> reprocess;

    KeepFn(PCollectionView<Map<String, String>> manifest, Set<String> reprocess) {
      this.manifest = manifest;
      this.reprocess = reprocess;
    }

    @ProcessElement
    public void process(@Element FileKey k, OutputReceiver<FileKey> out, ProcessContext c) {
      String etag = c.sideInput(manifest).get(k.getKey());
      if (etag != null && etag.equals(k.getEtag()) && !reprocess.contains(k.getSession())) {
        skipped.inc();
        return;
      }
      if (etag != null && !etag.equals(k.getEtag())) {
        changed.inc();
      }
      kept.inc();
      out.output(k);
    }
  }
}
