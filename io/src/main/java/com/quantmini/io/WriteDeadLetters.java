package com.quantmini.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.quantmini.transforms.DiskSync;
import com.quantmini.transforms.ShardedGroupByKey;
import com.quantmini.transforms.model.DeadLetter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
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
        .apply("GroupBySession", ShardedGroupByKey.create())
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
        sb.append(record(d)).append('\n');
      }
      DeadLetter first = all.get(0);
      String path = WriteParquet.sessionPath(root, "quarantine", first.getDataset(), first.getSession())
          .replace(".parquet", ".jsonl");
      AtomicFiles.writeString(AtomicFiles.resource(path), sb.toString());
      written.inc(all.size());
      out.output(path);
    }
  }

  /**
   * Jackson with the escapes quarantine files always had: quotes, backslashes, \\n \\r \\t, and every
   * other control character and DEL as a lower-case {@code \\u00xx}, so a raw line shows what it held.
   */
  private static final JsonFactory JSON = new JsonFactoryBuilder().characterEscapes(new ControlEscapes()).build();

  private static final class ControlEscapes extends CharacterEscapes {
    private final int[] codes = standardAsciiEscapesForJSON();

    ControlEscapes() {
      for (int c = 0; c < 0x20; c++) {
        if (c != '\n' && c != '\r' && c != '\t') {
          codes[c] = ESCAPE_CUSTOM;
        }
      }
      codes[0x7f] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return codes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      // Jackson also asks about every non-ASCII character: those stay as they are.
      return ch < 0x80 ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
  }

  /** One quarantine record as a JSON object on one line (without the line end). */
  static String record(DeadLetter d) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("dataset", d.getDataset());
      g.writeStringField("source", d.getSource());
      g.writeStringField("session", d.getSession());
      g.writeNumberField("line", d.getLine());
      g.writeStringField("reason", d.getReason());
      g.writeStringField("detail", d.getDetail());
      g.writeStringField("raw", d.getRaw());
      g.writeEndObject();
    });
  }

  /** A JSON string literal. */
  static String json(String s) {
    return write(g -> g.writeString(s));
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Body body) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }
}
