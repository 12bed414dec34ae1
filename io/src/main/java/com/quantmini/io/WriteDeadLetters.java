package com.quantmini.io;

import com.quantmini.transforms.DiskSync;
import com.quantmini.transforms.model.DeadLetter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The one quarantine sink: JSON Lines per dataset and session,
 * {@code <root>/quarantine/<dataset>/year=YYYY/month=MM/<date>.jsonl}, one record per rejected row
 * (or file) with dataset, source, line, reason, detail and raw, ordered by line. Each file is
 * replaced atomically, like the lake's. Returns the paths written.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PCollection<String>> {
  private final String root;

  private WriteDeadLetters(String root) {
    this.root = root;
  }

  public static WriteDeadLetters to(String root) {
    return new WriteDeadLetters(root);
  }

  @Override
  public PCollection<String> expand(PCollection<DeadLetter> letters) {
    return letters
        .apply("KeyBySession", WithKeys.of((DeadLetter d) -> d.getDataset() + "/" + d.getSession())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), letters.getCoder()))
        .apply("GroupBySession", GroupByKey.create())
        .apply("WriteJsonLines", ParDo.of(new WriteFn(root)));
  }

  static final class WriteFn extends DoFn<KV<String, Iterable<DeadLetter>>, String> {
    private final Counter written = Metrics.counter(WriteDeadLetters.class, "quarantineRecords");
    private final String root;

    WriteFn(String root) {
      this.root = root;
    }

        @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), root);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<DeadLetter>> group, OutputReceiver<String> out)
        throws IOException {
      List<DeadLetter> all = new ArrayList<>();
      group.getValue().forEach(all::add);
      all.sort(Comparator.comparing(DeadLetter::getSource).thenComparingLong(DeadLetter::getLine)
          .thenComparing(DeadLetter::getReason));
      StringBuilder sb = new StringBuilder();
      for (DeadLetter d : all) {
        sb.append("{\"dataset\":").append(json(d.getDataset()))
            .append(",\"source\":").append(json(d.getSource()))
            .append(",\"session\":").append(json(d.getSession()))
            .append(",\"line\":").append(d.getLine())
            .append(",\"reason\":").append(json(d.getReason()))
            .append(",\"detail\":").append(json(d.getDetail()))
            .append(",\"raw\":").append(json(d.getRaw())).append("}\n");
      }
      DeadLetter first = all.get(0);
      String path = WriteParquet.sessionPath(root, "quarantine", first.getDataset(), first.getSession())
          .replace(".parquet", ".jsonl");
      AtomicFiles.writeString(AtomicFiles.resource(path), sb.toString());
      written.inc(all.size());
      out.output(path);
    }
  }

  /** A JSON string literal; escapes quotes, backslashes and every control character. */
  static String json(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"').toString();
  }
}
