package com.quantmini.io;

import com.quantmini.transforms.OptionsTicker;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.SessionFeatures;
import java.util.List;
import java.io.IOException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes a session's bars as one Parquet file straight from the block's arrays (no record objects).
 * Types are what readers expect: DATE for the session, TIMESTAMP(NANOS, UTC) for window_start,
 * DOUBLE for prices and volume (lossless), nullable INT64 transactions. Avro is not used because
 * Avro 1.11 cannot express nanosecond timestamps. Dictionary encoding is on only for the string
 * columns, so every file of a dataset has the same schema and encodings, run after run.
 */
public final class BarParquet {
  private BarParquet() {}

  public static final String ZSTD_LEVEL = "parquet.compression.codec.zstd.level";

  /** The bronze schema of a dataset; options add the fields parsed from the contract ticker. */
  public static MessageType schema(Dataset dataset) {
    return schema(dataset, List.of(), List.of());
  }

  /** Bronze columns, then nullable FLOAT and DOUBLE feature columns (silver). */
  public static MessageType schema(Dataset dataset, List<String> floatNames, List<String> doubleNames) {
    Types.GroupBuilder<MessageType> b = Types.buildMessage()
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("ticker")
        .required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("session_date")
        .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.NANOS)).named("window_start")
        .required(PrimitiveTypeName.DOUBLE).named("open")
        .required(PrimitiveTypeName.DOUBLE).named("high")
        .required(PrimitiveTypeName.DOUBLE).named("low")
        .required(PrimitiveTypeName.DOUBLE).named("close")
        .required(PrimitiveTypeName.DOUBLE).named("volume")
        .optional(PrimitiveTypeName.INT64).named("transactions");
    if (dataset.isOptions()) {
      b = b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("underlying")
          .required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("expiration")
          .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("contract_type")
          .required(PrimitiveTypeName.DOUBLE).named("strike");
    }
    for (String f : floatNames) {
      b = b.optional(PrimitiveTypeName.FLOAT).named(f);
    }
    for (String d : doubleNames) {
      b = b.optional(PrimitiveTypeName.DOUBLE).named(d);
    }
    return b.named("bar");
  }

  /** Writes all rows of {@code block}, in block order, to {@code target} (not atomically). */
  public static void write(BarBlock block, ResourceId target, long rowGroupBytes) throws IOException {
    write(new SessionFeatures(block, List.of(), List.of(), new float[0][], new double[0][]), target,
        rowGroupBytes);
  }

  /**
   * Writes rows with their features; NaN feature values become nulls (SQL readers treat NaN as a
   * number), infinities stay.
   */
  public static void write(SessionFeatures rows, ResourceId target, long rowGroupBytes) throws IOException {
    BarBlock block = rows.rows();
    Dataset ds = block.datasetEnum();
    MessageType schema = schema(ds, rows.floatNames(), rows.doubleNames());
    try (ParquetWriter<Integer> w = new Builder(new BeamOutputFile(target), rows, schema)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withConf(conf())
        .withRowGroupSize(rowGroupBytes)
        .withDictionaryEncoding(false)
        .withDictionaryEncoding("ticker", true)
        .withDictionaryEncoding("underlying", true)
        .withDictionaryEncoding("contract_type", true)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withValidation(false)
        .build()) {
      for (int i = 0; i < block.size(); i++) {
        w.write(i);
      }
    }
  }

  static Configuration conf() {
    Configuration c = new Configuration(false);
    c.setInt(ZSTD_LEVEL, 3);
    return c;
  }

  private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final SessionFeatures rows;
    private final MessageType schema;

    Builder(OutputFile file, SessionFeatures rows, MessageType schema) {
      super(file);
      this.rows = rows;
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(rows, schema);
    }
  }

  /** Writes row i of the block; the "record" handed to the writer is just the row index. */
  private static final class RowWriteSupport extends WriteSupport<Integer> {
    private final BarBlock b;
    private final SessionFeatures rows;
    private final MessageType schema;
    private final boolean options;
    private final int firstFeature;
    private final int sessionDay;
    private final Map<String, Binary> binaries = new HashMap<>();
    private final Map<String, OptionsTicker> contracts = new HashMap<>();
    private RecordConsumer rc;

    RowWriteSupport(SessionFeatures rows, MessageType schema) {
      this.rows = rows;
      this.b = rows.rows();
      this.schema = schema;
      this.options = b.datasetEnum().isOptions();
      this.firstFeature = options ? 13 : 9;
      this.sessionDay = (int) LocalDate.parse(b.session()).toEpochDay();
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, Map.of("quantmini.source", b.source()));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.rc = recordConsumer;
    }

    private Binary bin(String s) {
      return binaries.computeIfAbsent(s, Binary::fromString);
    }

    @Override
    public void write(Integer row) {
      int i = row;
      rc.startMessage();
      field(0, "ticker");
      rc.addBinary(bin(b.ticker(i)));
      end(0, "ticker");
      field(1, "session_date");
      rc.addInteger(sessionDay);
      end(1, "session_date");
      field(2, "window_start");
      rc.addLong(b.windowStart(i));
      end(2, "window_start");
      dbl(3, "open", b.open(i));
      dbl(4, "high", b.high(i));
      dbl(5, "low", b.low(i));
      dbl(6, "close", b.close(i));
      dbl(7, "volume", b.volume(i));
      if (b.hasTransactions(i)) {
        field(8, "transactions");
        rc.addLong(b.transactions(i));
        end(8, "transactions");
      }
      if (options) {
        OptionsTicker t = contracts.computeIfAbsent(b.ticker(i), OptionsTicker::parse);
        field(9, "underlying");
        rc.addBinary(bin(t.underlying()));
        end(9, "underlying");
        field(10, "expiration");
        rc.addInteger((int) t.expiration().toEpochDay());
        end(10, "expiration");
        field(11, "contract_type");
        rc.addBinary(bin(t.contractType()));
        end(11, "contract_type");
        dbl(12, "strike", t.strike());
      }
      int idx = firstFeature;
      float[][] floats = rows.floats();
      for (int f = 0; f < floats.length; f++, idx++) {
        float v = floats[f][i];
        if (!Float.isNaN(v)) {
          String name = rows.floatNames().get(f);
          rc.startField(name, idx);
          rc.addFloat(v);
          rc.endField(name, idx);
        }
      }
      double[][] doubles = rows.doubles();
      for (int d = 0; d < doubles.length; d++, idx++) {
        double v = doubles[d][i];
        if (!Double.isNaN(v)) {
          dbl(idx, rows.doubleNames().get(d), v);
        }
      }
      rc.endMessage();
    }

    private void field(int idx, String name) {
      rc.startField(name, idx);
    }

    private void end(int idx, String name) {
      rc.endField(name, idx);
    }

    private void dbl(int idx, String name, double v) {
      rc.startField(name, idx);
      rc.addDouble(v);
      rc.endField(name, idx);
    }
  }
}
