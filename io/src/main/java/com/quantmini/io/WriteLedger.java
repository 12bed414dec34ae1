package com.quantmini.io;

import com.quantmini.io.FileStateStore.Staged;
import com.quantmini.transforms.DiskSync;
import com.quantmini.transforms.model.FileLedger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Stages, per dataset, the manifest lines of the files this run read whole ({@code ledger.tsv} in
 * the run's state folder); the commit merges them into the manifest once everything else is in.
 */
public final class WriteLedger extends PTransform<PCollection<KV<String, FileLedger>>, PCollection<String>> {
  private final Map<String, QlibLayout> layouts;

  private WriteLedger(Map<String, QlibLayout> layouts) {
    this.layouts = layouts;
  }

  public static WriteLedger to(Map<String, QlibLayout> layouts) {
    return new WriteLedger(new HashMap<>(layouts));
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, FileLedger>> files) {
    return files.apply("GroupByDataset", GroupByKey.create())
        .apply("WriteLedgerFiles", ParDo.of(new WriteFn(layouts)));
  }

  static final class WriteFn extends DoFn<KV<String, Iterable<FileLedger>>, String> {
    private final Map<String, QlibLayout> layouts;

    WriteFn(Map<String, QlibLayout> layouts) {
      this.layouts = layouts;
    }

    @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), WriteQlibBin.anyStateDir(layouts));
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<FileLedger>> lines, OutputReceiver<String> out) throws IOException {
      List<String> sorted = new ArrayList<>();
      lines.getValue().forEach(f -> sorted.add(f.line()));
      sorted.sort(null);
      String path = Staged.LEDGER.in(layouts.get(lines.getKey()).stateDir);
      AtomicFiles.writeString(AtomicFiles.resource(path), String.join("\n", sorted) + "\n");
      out.output(path);
    }
  }
}
