package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.util.SplittableRandom;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;

class PlainWriterTest {
  private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
      "message m { optional float kmid; required binary ticker; optional double rsi; optional float dict; "
          + "required int64 ts; required int32 day; required boolean flag; }");

  private static ParquetProperties props() {
    return ParquetProperties.builder().withDictionaryEncoding(false).withDictionaryEncoding("dict", true)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withValuesWriterFactory(new PlainWriter.Factory()).build();
  }

  private static ColumnDescriptor column(String name) {
    return SCHEMA.getColumnDescription(new String[] {name});
  }

  private interface Put {
    void value(ValuesWriter w, int i, SplittableRandom rnd);
  }

  /** Pages of values written by ours and parquet-java's writer: the same sizes and bytes, page after page. */
  private static void sameAsParquetJava(Put put) throws IOException {
    ParquetProperties p = props();
    PlainWriter ours = new PlainWriter(p.getInitialSlabSize());
    PlainValuesWriter theirs = new PlainValuesWriter(p.getInitialSlabSize(), p.getPageSizeThreshold(),
        p.getAllocator());
    SplittableRandom a = new SplittableRandom(7);
    SplittableRandom b = new SplittableRandom(7);
    for (int page = 0; page < 3; page++) {
      int n = page == 1 ? 1023 : 50_000; // a small page after a large one: the kept buffer is only partly used
      for (int i = 0; i < n; i++) {
        put.value(ours, i, a);
        put.value(theirs, i, b);
        if (i % 997 == 0) {
          assertThat(ours.getBufferedSize(), is(theirs.getBufferedSize()));
        }
      }
      assertThat(ours.getBufferedSize(), is(theirs.getBufferedSize()));
      assertArrayEquals(theirs.getBytes().toByteArray(), ours.getBytes().toByteArray(), "page " + page);
      assertThat(ours.getEncoding(), is(Encoding.PLAIN));
      ours.reset();
      theirs.reset();
      assertThat(ours.getBufferedSize(), is(0L));
    }
    ours.close();
    theirs.close();
  }

  @Test
  void floatsAsParquetJavaWritesThem() throws IOException {
    float[] special = {Float.NaN, Float.intBitsToFloat(0x7fc00123), -0.0f, 0f, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, 1.5e-42f};
    sameAsParquetJava((w, i, rnd) -> w.writeFloat(i < special.length ? special[i] : Float.intBitsToFloat(rnd.nextInt())));
  }

  @Test
  void doublesAsParquetJavaWritesThem() throws IOException {
    double[] special = {Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L), -0.0, 0, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 184.22};
    sameAsParquetJava((w, i, rnd) ->
        w.writeDouble(i < special.length ? special[i] : Double.longBitsToDouble(rnd.nextLong())));
  }

  @Test
  void longsAndIntsAsParquetJavaWritesThem() throws IOException {
    sameAsParquetJava((w, i, rnd) -> w.writeLong(i == 0 ? Long.MIN_VALUE : i == 1 ? -1 : rnd.nextLong()));
    sameAsParquetJava((w, i, rnd) -> w.writeInteger(i == 0 ? Integer.MIN_VALUE : i == 1 ? -1 : rnd.nextInt()));
  }

  @Test
  void theFactoryTakesNumberColumnsWithoutADictionary() {
    ParquetProperties p = props();
    for (String c : new String[] {"kmid", "rsi", "ts", "day"}) {
      assertThat(c, p.newValuesWriter(column(c)), instanceOf(PlainWriter.class));
    }
    assertThat(p.newValuesWriter(column("dict")), not(instanceOf(PlainWriter.class)));
    assertThat(p.newValuesWriter(column("ticker")), not(instanceOf(PlainWriter.class)));
    assertThat(p.newValuesWriter(column("flag")), not(instanceOf(PlainWriter.class)));
  }
}
