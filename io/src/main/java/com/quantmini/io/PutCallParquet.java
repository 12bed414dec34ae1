package com.quantmini.io;

import java.io.IOException;
import java.time.LocalDate;
import java.util.Map;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The per-underlying options table of one session: underlying, session_date, put_volume,
 * call_volume and put_call_ratio (null when there is no call volume).
 */
final class PutCallParquet {
  private PutCallParquet() {}

  static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("underlying")
      .required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("session_date")
      .required(PrimitiveTypeName.DOUBLE).named("put_volume")
      .required(PrimitiveTypeName.DOUBLE).named("call_volume")
      .optional(PrimitiveTypeName.DOUBLE).named("put_call_ratio")
      .named("put_call");

  /** {@code byRoot}: root → {put volume, call volume, ratio}, in root order. */
  static void write(String session, Map<String, double[]> byRoot, ResourceId target) throws IOException {
    int day = (int) LocalDate.parse(session).toEpochDay();
    try (ParquetWriter<Map.Entry<String, double[]>> w = new Builder(new BeamOutputFile(target), day)
        .withCompressionCodec(CompressionCodecName.ZSTD).withConf(BarParquet.conf()).build()) {
      for (Map.Entry<String, double[]> e : byRoot.entrySet()) {
        w.write(e);
      }
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Map.Entry<String, double[]>, Builder> {
    private final int day;

    Builder(OutputFile file, int day) {
      super(file);
      this.day = day;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Map.Entry<String, double[]>> getWriteSupport(Configuration conf) {
      return new WriteSupport<>() {
        private RecordConsumer rc;

        @Override
        public WriteContext init(Configuration configuration) {
          return new WriteContext(SCHEMA, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
          rc = recordConsumer;
        }

        @Override
        public void write(Map.Entry<String, double[]> e) {
          double[] v = e.getValue();
          rc.startMessage();
          rc.startField("underlying", 0);
          rc.addBinary(Binary.fromString(e.getKey()));
          rc.endField("underlying", 0);
          rc.startField("session_date", 1);
          rc.addInteger(day);
          rc.endField("session_date", 1);
          rc.startField("put_volume", 2);
          rc.addDouble(v[0]);
          rc.endField("put_volume", 2);
          rc.startField("call_volume", 3);
          rc.addDouble(v[1]);
          rc.endField("call_volume", 3);
          if (!Double.isNaN(v[2])) {
            rc.startField("put_call_ratio", 4);
            rc.addDouble(v[2]);
            rc.endField("put_call_ratio", 4);
          }
          rc.endMessage();
        }
      };
    }
  }
}
