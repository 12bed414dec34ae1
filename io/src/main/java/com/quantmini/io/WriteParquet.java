package com.quantmini.io;

import com.quantmini.transforms.DiskSync;
import com.quantmini.transforms.Checks;
import com.quantmini.transforms.FeatureMath;
import com.quantmini.transforms.SilverRows;
import com.quantmini.transforms.SpillGroupByKey;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.FeatureBlock;
import com.quantmini.transforms.model.SessionFeatures;
import java.io.IOException;
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
import org.apache.beam.sdk.transforms.GroupByKey;
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
  private final String spillDir;

  private WriteParquet(String root, long rowGroupBytes, String spillDir) {
    this.root = root;
    this.rowGroupBytes = rowGroupBytes;
    this.spillDir = spillDir;
  }

  public static WriteParquet lake(String root, int rowGroupMb) {
    Checks.checkArgument(rowGroupMb >= 1, "row group must be >= 1 MB, was %s", rowGroupMb);
    return new WriteParquet(root, rowGroupMb * (1L << 20), null);
  }

  /** Regroups silver rows by session through files in {@code dir} (see {@code SpillGroupByKey}). */
  public WriteParquet spillingTo(String dir) {
    return new WriteParquet(root, rowGroupBytes, dir);
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
    PCollection<KV<String, SessionFeatures>> slices = in.get(FEATURES)
        .apply("SliceBySession", ParDo.of(new SliceBySessionFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SessionFeatures.SessionFeaturesCoder.of()));
    PCollection<KV<String, Iterable<SessionFeatures>>> bySession = spillDir == null
        ? slices.apply("GroupBySession", GroupByKey.create())
        : slices.apply("GroupBySession", SpillGroupByKey.of(SessionFeatures.SessionFeaturesCoder.of(), spillDir + "/silver"));
    PCollection<KV<String, String>> silver = bySession
        .apply("WriteSilverFiles", ParDo.of(new WriteSilverFn(root, rowGroupBytes))).setCoder(pathCoder);
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
    public void process(@Element FeatureBlock block, OutputReceiver<KV<String, SessionFeatures>> out) {
      if (!SilverRows.wanted(block)) {
        return;
      }
      SilverRows.bySession(block).forEach((session, rows) ->
          out.output(KV.of(block.dataset() + "/" + session, rows)));
    }
  }

  static final class WriteSilverFn extends DoFn<KV<String, Iterable<SessionFeatures>>, KV<String, String>> {
    private final Counter rows = Metrics.counter(WriteParquet.class, "silverRowsWritten");
    private final Distribution millis = Metrics.distribution(WriteParquet.class, "silverWriteMillis");
    private final String root;
    private final long rowGroupBytes;

    WriteSilverFn(String root, long rowGroupBytes) {
      this.root = root;
      this.rowGroupBytes = rowGroupBytes;
    }

        @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), root);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<SessionFeatures>> group,
        OutputReceiver<KV<String, String>> out) throws IOException {
      long t0 = System.nanoTime();
      List<SessionFeatures> parts = new ArrayList<>();
      group.getValue().forEach(parts::add);
      SessionFeatures merged = SilverRows.merge(parts);
      BarBlock b = merged.rows();
      String path = sessionPath(root, "silver", b.dataset(), b.session());
      AtomicFiles.write(AtomicFiles.resource(path), tmp -> BarParquet.write(merged, tmp, rowGroupBytes));
      rows.inc(b.size());
      millis.update((System.nanoTime() - t0) / 1_000_000);
      out.output(KV.of("silver:" + group.getKey(), path));
    }
  }
}
