package com.quantmini.io;

import com.quantmini.transforms.Checks;
import com.quantmini.transforms.DiskSync;
import com.quantmini.transforms.FeatureMath;
import com.quantmini.transforms.ShardedGroupByKey;
import com.quantmini.transforms.SilverRows;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.FeatureBlock;
import com.quantmini.transforms.model.SessionFeatures;
import com.quantmini.transforms.model.SessionRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Writes the lake, one file per dataset and session, each replaced atomically so a re-run of a
 * session replaces exactly its files: {@code bronze/<dataset>/year=YYYY/month=MM/<date>.parquet}
 * from the validated session blocks ({@link #SESSIONS}), {@code silver/...} (bronze columns plus
 * features; only for a dataset with a feature family, see {@link SilverRows#wanted}) from the
 * feature blocks ({@link #FEATURES}) regrouped by session, and for options
 * {@code silver/<dataset>_underlying/...} with put/call volumes per underlying. Rows are sorted by
 * ticker, then window_start. Returns {@code KV<layer:dataset/session, path written>}.
 */
public final class WriteParquet extends PTransform<PCollectionTuple, PCollection<KV<String, String>>> {
  public static final TupleTag<BarBlock> SESSIONS = new TupleTag<BarBlock>() {};
  public static final TupleTag<FeatureBlock> FEATURES = new TupleTag<FeatureBlock>() {};

  private final String root;
  private final long rowGroupBytes;
  private final WorkFolder spill;

  private WriteParquet(String root, long rowGroupBytes, WorkFolder spill) {
    this.root = root;
    this.rowGroupBytes = rowGroupBytes;
    this.spill = spill;
  }

  public static WriteParquet lake(String root, int rowGroupMb) {
    Checks.checkArgument(rowGroupMb >= 1, "row group must be >= 1 MB, was %s", rowGroupMb);
    return new WriteParquet(root, rowGroupMb * (1L << 20), null);
  }

  /**
   * Regroups silver rows by session through files in a work folder area ({@link SilverSpill}): each
   * bucket's rows are written as they come and read back through a memory map while the session's
   * file is written, so no step holds a whole session's features (the Direct runner's way).
   */
  public WriteParquet spillingTo(WorkFolder area) {
    return new WriteParquet(root, rowGroupBytes, area);
  }

  /** Where a dataset's session file lives under the output root. */
  public static String sessionPath(String root, String layer, String dataset, String session) {
    return root + "/" + layer + "/" + dataset + "/year=" + session.substring(0, 4) + "/month="
        + session.substring(5, 7) + "/" + session + ".parquet";
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollectionTuple in) {
    KvCoder<String, String> pathCoder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    PCollection<BarBlock> sessions = in.get(SESSIONS);
    PCollection<KV<String, String>> bronze = sessions
        .apply("WriteBronzeFiles", ParDo.of(new WriteBronzeFn(root, rowGroupBytes))).setCoder(pathCoder);
    PCollection<KV<String, String>> putCall = sessions
        .apply("WritePutCallFiles", ParDo.of(new WritePutCallFn(root))).setCoder(pathCoder);
    // On the Direct runner a step's outputs wait until every queued bundle of the steps before it
    // has run, so the slices are spilled in the same step that cuts them (a bucket at a time).
    PCollection<KV<String, String>> silver = spill == null
        ? in.get(FEATURES)
            .apply("SliceBySession", ParDo.of(new SliceBySessionFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SessionFeatures.SessionFeaturesCoder.of()))
            .apply("GroupBySession", ShardedGroupByKey.create())
            .apply("WriteSilverFiles", ParDo.of(new WriteSilverFn(root, rowGroupBytes))).setCoder(pathCoder)
        : in.get(FEATURES)
            .apply("SliceBySession", ParDo.of(new SpillSilverFn(spill))).setCoder(pathCoder)
            .apply("GroupBySession", ShardedGroupByKey.create())
            .apply("WriteSilverFiles", ParDo.of(new WriteSpilledSilverFn(root, rowGroupBytes))).setCoder(pathCoder);
    return PCollectionList.of(bronze).and(silver).and(putCall).apply("Written", Flatten.pCollections());
  }

  static final class WriteBronzeFn extends DoFn<BarBlock, KV<String, String>> {
    private final Counter rows = Metrics.counter(WriteParquet.class, "bronzeRowsWritten");
    private final Distribution millis = Metrics.distribution(WriteParquet.class, "bronzeWriteMillis");
    private final String root;
    private final long rowGroupBytes;

    WriteBronzeFn(String root, long rowGroupBytes) {
      this.root = root;
      this.rowGroupBytes = rowGroupBytes;
    }

    @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), root);
    }

    @ProcessElement
    public void process(@Element BarBlock block, OutputReceiver<KV<String, String>> out) throws IOException {
      long t0 = System.nanoTime();
      String path = sessionPath(root, "bronze", block.dataset(), block.session());
      AtomicFiles.write(AtomicFiles.resource(path), tmp -> BarParquet.write(block, tmp, rowGroupBytes));
      rows.inc(block.size());
      millis.update((System.nanoTime() - t0) / 1_000_000);
      out.output(KV.of("bronze:" + block.dataset() + "/" + block.session(), path));
    }
  }

  static final class WritePutCallFn extends DoFn<BarBlock, KV<String, String>> {
    private final String root;

    WritePutCallFn(String root) {
      this.root = root;
    }

    @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), root);
    }

    @ProcessElement
    public void process(@Element BarBlock block, OutputReceiver<KV<String, String>> out) throws IOException {
      if (!block.datasetEnum().isOptions()) {
        return;
      }
      String path = sessionPath(root, "silver", block.dataset() + "_underlying", block.session());
      Map<String, double[]> byRoot = FeatureMath.putCallVolumes(block);
      AtomicFiles.write(AtomicFiles.resource(path), tmp -> PutCallParquet.write(block.session(), byRoot, tmp));
      out.output(KV.of("silver:" + block.dataset() + "_underlying/" + block.session(), path));
    }
  }

  static final class SliceBySessionFn extends DoFn<FeatureBlock, KV<String, SessionFeatures>> {
    @ProcessElement
    public void process(@Element FeatureBlock block, OutputReceiver<KV<String, SessionFeatures>> out)
        throws IOException {
      if (!SilverRows.wanted(block)) {
        return;
      }
      SilverRows.bySession(WorkFolder.load(block)).forEach((session, rows) ->
          out.output(KV.of(block.dataset() + "/" + session, rows)));
    }
  }

  /**
   * Writes a session's silver file from all its buckets' parts (merged a slice at a time); the
   * two ways of grouping differ only in what a part arrives as.
   */
  abstract static class SilverFilesFn<T> extends DoFn<KV<String, Iterable<T>>, KV<String, String>> {
    private final Counter rows = Metrics.counter(WriteParquet.class, "silverRowsWritten");
    private final Distribution millis = Metrics.distribution(WriteParquet.class, "silverWriteMillis");
    private final String root;
    private final long rowGroupBytes;

    SilverFilesFn(String root, long rowGroupBytes) {
      this.root = root;
      this.rowGroupBytes = rowGroupBytes;
    }

    @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), root);
    }

    void write(String key, List<? extends SessionRows.Part> parts, OutputReceiver<KV<String, String>> out)
        throws IOException {
      long t0 = System.nanoTime();
      SessionRows merged = SilverRows.merged(parts);
      String path = sessionPath(root, "silver", merged.dataset().name(), merged.session());
      AtomicFiles.write(AtomicFiles.resource(path), tmp -> BarParquet.write(merged, tmp, rowGroupBytes));
      rows.inc(merged.size());
      millis.update((System.nanoTime() - t0) / 1_000_000);
      out.output(KV.of("silver:" + key, path));
    }
  }

  /** Grouped in memory (a cluster's shuffle). */
  static final class WriteSilverFn extends SilverFilesFn<SessionFeatures> {
    WriteSilverFn(String root, long rowGroupBytes) {
      super(root, rowGroupBytes);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<SessionFeatures>> group,
        OutputReceiver<KV<String, String>> out) throws IOException {
      List<SessionFeatures> parts = new ArrayList<>();
      group.getValue().forEach(parts::add);
      write(group.getKey(), parts, out);
    }
  }

  /** Cuts a bucket's block by session and writes each part to its own file; passes on only the paths. */
  static final class SpillSilverFn extends DoFn<FeatureBlock, KV<String, String>> {
    private final WorkFolder dir;

    SpillSilverFn(WorkFolder dir) {
      this.dir = dir;
    }

    @ProcessElement
    public void process(@Element FeatureBlock block, OutputReceiver<KV<String, String>> out) throws IOException {
      if (!SilverRows.wanted(block)) {
        return;
      }
      for (Map.Entry<String, SessionFeatures> part : SilverRows.bySession(WorkFolder.load(block)).entrySet()) {
        String key = block.dataset() + "/" + part.getKey();
        String file = dir.freshFile(key, ".part");
        SilverSpill.write(part.getValue(), Paths.get(file));
        out.output(KV.of(key, file));
      }
    }
  }

  /** The parts of a session read back from their files; the files go once the session is written. */
  static final class WriteSpilledSilverFn extends SilverFilesFn<String> {
    WriteSpilledSilverFn(String root, long rowGroupBytes) {
      super(root, rowGroupBytes);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> group, OutputReceiver<KV<String, String>> out)
        throws IOException {
      List<String> files = new ArrayList<>();
      group.getValue().forEach(files::add);
      files.sort(null); // the merge orders rows by ticker; a fixed part order keeps it reproducible anyway
      List<SessionRows.Part> parts = new ArrayList<>();
      for (String f : files) {
        parts.add(SilverSpill.open(Paths.get(f)));
      }
      write(group.getKey(), parts, out);
      for (String f : files) {
        Files.deleteIfExists(Paths.get(f));
      }
    }
  }
}
