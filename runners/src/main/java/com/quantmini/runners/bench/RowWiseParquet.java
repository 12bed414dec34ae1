package com.quantmini.runners.bench;

import com.quantmini.io.BarParquet;
import com.quantmini.io.BeamOutputFile;
import com.quantmini.transforms.OptionsTicker;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.SessionFeatures;
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
import org.apache.parquet.schema.MessageType;

/**
 * The row-wise writer {@link BarParquet} replaced (a WriteSupport feeding the RecordConsumer cell by
 * cell), kept only so {@link ParquetWriteBench} can time both on the same block and compare bytes.
 */
final class RowWiseParquet {
  private RowWiseParquet() {}

  /**
   * Writes rows with their features; NaN feature values become nulls (SQL readers treat NaN as a
   * number), infinities stay.
   */
  static void write(SessionFeatures rows, ResourceId target, long rowGroupBytes, int zstdLevel) throws IOException {
    BarBlock block = rows.rows();
    Dataset ds = block.datasetEnum();
    MessageType schema = BarParquet.schema(ds, rows.floatNames(), rows.doubleNames());
    try (ParquetWriter<Integer> w = new Builder(new BeamOutputFile(target), rows, schema)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withConf(conf(zstdLevel))
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

  private static Configuration conf(int zstdLevel) {
    Configuration c = new Configuration(false);
    c.setInt(BarParquet.ZSTD_LEVEL, zstdLevel);
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
