package com.quantmini.io;

import com.quantmini.transforms.ShardedGroupByKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A GroupByKey whose values travel through files: each value is written once to a fresh file of
 * its key in a {@link WorkFolder} area and only its path is shuffled. The Direct runner copies a key's
 * whole group every time another bundle adds to it, which is quadratic when many bundles feed
 * one key (252 sessions into each symbol bucket took minutes); paths are cheap to copy, and the
 * values stay off the heap until their group is processed. The folder must be visible to all
 * workers (the output's filesystem). Files of a failed bundle are orphans nobody reads; the run's
 * work folder is deleted when the run commits.
 */
public final class SpillGroupByKey<V> extends PTransform<PCollection<KV<String, V>>, PCollection<KV<String, Iterable<V>>>> {
  private final Coder<V> coder;
  private final WorkFolder dir;

  private SpillGroupByKey(Coder<V> coder, WorkFolder dir) {
    this.coder = coder;
    this.dir = dir;
  }

  public static <V> SpillGroupByKey<V> of(Coder<V> coder, WorkFolder dir) {
    return new SpillGroupByKey<>(coder, dir);
  }

  @Override
  public PCollection<KV<String, Iterable<V>>> expand(PCollection<KV<String, V>> input) {
    return input
        .apply("SpillValues", ParDo.of(new SpillFn<>(coder, dir)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("GroupPaths", ShardedGroupByKey.create())
        .apply("ReadSpilled", ParDo.of(new ReadFn<>(coder)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(coder)));
  }

  static final class SpillFn<V> extends DoFn<KV<String, V>, KV<String, String>> {
    private final Coder<V> coder;
    private final WorkFolder dir;

    SpillFn(Coder<V> coder, WorkFolder dir) {
      this.coder = coder;
      this.dir = dir;
    }

    @ProcessElement
    public void process(@Element KV<String, V> kv, OutputReceiver<KV<String, String>> out) throws IOException {
      String path = dir.freshFile(kv.getKey(), ".bin");
      try (OutputStream os = WorkFolder.create(path)) {
        coder.encode(kv.getValue(), os);
      }
      out.output(KV.of(kv.getKey(), path));
    }
  }

  static final class ReadFn<V> extends DoFn<KV<String, Iterable<String>>, KV<String, Iterable<V>>> {
    private final Coder<V> coder;

    ReadFn(Coder<V> coder) {
      this.coder = coder;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> group, OutputReceiver<KV<String, Iterable<V>>> out)
        throws IOException {
      List<String> paths = new ArrayList<>();
      group.getValue().forEach(paths::add);
      paths.sort(null); // sorted by name (random ids): no meaning, but the same for the same files
      List<V> values = new ArrayList<>(paths.size());
      for (String path : paths) {
        try (InputStream in = WorkFolder.open(path)) {
          values.add(coder.decode(in));
        }
      }
      out.output(KV.of(group.getKey(), values));
    }
  }
}
