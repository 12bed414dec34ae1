package com.quantmini.io.actions;

import com.quantmini.io.AtomicFiles;
import com.quantmini.io.BeamOutputFile;
import com.quantmini.io.LocalInputFile;
import com.quantmini.transforms.adjust.CorporateAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The events a dataset's outputs were computed with, kept in the lake
 * ({@code bronze/corporate_actions/<dataset>.parquet}): every event fetched, whether it was
 * applied, where it came from and when. The next run compares its events with these to find the
 * ones that appeared, changed or disappeared after the sessions they touch were written.
 */
public final class ActionsLake {
  private ActionsLake() {}

  /** One stored event. */
  public static final class Row {
    public final CorporateAction event;
    public final boolean applied;
    public final String source;
    public final Instant fetchedAt;

    public Row(CorporateAction event, boolean applied, String source, Instant fetchedAt) {
      this.event = event;
      this.applied = applied;
      this.source = source;
      this.fetchedAt = fetchedAt;
    }
  }

  public static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("kind")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("ticker")
      .required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("date")
      .optional(PrimitiveTypeName.DOUBLE).named("split_from")
      .optional(PrimitiveTypeName.DOUBLE).named("split_to")
      .optional(PrimitiveTypeName.DOUBLE).named("cash_amount")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("currency")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("dividend_type")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("id")
      .required(PrimitiveTypeName.BOOLEAN).named("applied")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("source")
      .required(PrimitiveTypeName.INT64)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named("fetched_at")
      .named("corporate_action");

  /** Where a dataset's events live in the lake. */
  public static String path(String output, String dataset) {
    return output + "/bronze/corporate_actions/" + dataset + ".parquet";
  }

  /** Writes the rows (temp name, then rename). */
  public static void write(List<Row> rows, String file) throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    AtomicFiles.write(AtomicFiles.resource(file), tmp -> {
      try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new BeamOutputFile(tmp))
          .withType(SCHEMA).withConf(new Configuration(false)).withCompressionCodec(CompressionCodecName.ZSTD)
          .build()) {
        for (Row r : rows) {
          w.write(group(groups, r));
        }
      }
    });
  }

  private static Group group(SimpleGroupFactory groups, Row r) {
    CorporateAction e = r.event;
    Group g = groups.newGroup()
        .append("kind", e.isSplit() ? "split" : "dividend")
        .append("ticker", e.ticker)
        .append("date", (int) e.day);
    if (e.isSplit()) {
      optional(g, "split_from", e.splitFrom);
      optional(g, "split_to", e.splitTo);
    } else {
      optional(g, "cash_amount", e.cashAmount);
      if (!e.currency.isEmpty()) {
        g.append("currency", e.currency);
      }
      if (!e.dividendType.isEmpty()) {
        g.append("dividend_type", e.dividendType);
      }
    }
    if (!e.id.isEmpty()) {
      g.append("id", e.id);
    }
    return g.append("applied", r.applied).append("source", r.source).append("fetched_at", r.fetchedAt.toEpochMilli());
  }

  private static void optional(Group g, String field, double v) {
    if (!Double.isNaN(v)) {
      g.append(field, v);
    }
  }

  /** The stored rows, or null when the file does not exist. */
  public static List<Row> read(String file) throws IOException {
    Path p = Paths.get(file);
    if (!Files.exists(p)) {
      return null;
    }
    List<Row> out = new ArrayList<>();
    try (ParquetReader<Group> r = new GroupReader(new LocalInputFile(p)).build()) {
      for (Group g = r.read(); g != null; g = r.read()) {
        String ticker = g.getString("ticker", 0);
        LocalDate date = LocalDate.ofEpochDay(g.getInteger("date", 0));
        String id = text(g, "id");
        CorporateAction e = g.getString("kind", 0).equals("split")
            ? CorporateAction.split(ticker, date, number(g, "split_from"), number(g, "split_to"), id)
            : CorporateAction.dividend(ticker, date, number(g, "cash_amount"), text(g, "currency"),
                text(g, "dividend_type"), id);
        out.add(new Row(e, g.getBoolean("applied", 0), g.getString("source", 0),
            Instant.ofEpochMilli(g.getLong("fetched_at", 0))));
      }
    }
    return out;
  }

  private static String text(Group g, String field) {
    return g.getFieldRepetitionCount(field) == 0 ? null : g.getString(field, 0);
  }

  private static double number(Group g, String field) {
    return g.getFieldRepetitionCount(field) == 0 ? Double.NaN : g.getDouble(field, 0);
  }

  private static final class GroupReader extends ParquetReader.Builder<Group> {
    GroupReader(InputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
