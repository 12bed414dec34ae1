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

class PlainFloatWriterTest {
  private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
      "message m { optional float kmid; required binary ticker; optional double rsi; optional float dict; }");

  private static ParquetProperties props() {
    return ParquetProperties.builder().withDictionaryEncoding(false).withDictionaryEncoding("dict", true)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withValuesWriterFactory(new PlainFloatWriter.Factory()).build();
  }

  private static ColumnDescriptor column(String name) {
    return SCHEMA.getColumnDescription(new String[] {name});
  }

  @Test
  void writesTheBytesAndSizesOfParquetJavasPlainWriterAcrossItsBufferAndAReset() throws IOException {
    ParquetProperties p = props();
    PlainFloatWriter ours = new PlainFloatWriter(p.getInitialSlabSize(), p.getPageSizeThreshold(), p);
    PlainValuesWriter theirs = new PlainValuesWriter(p.getInitialSlabSize(), p.getPageSizeThreshold(),
        p.getAllocator());
    float[] special = {Float.NaN, Float.intBitsToFloat(0x7fc00123), -0.0f, 0f, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, 1.5e-42f};
    SplittableRandom rnd = new SplittableRandom(7);
    for (int page = 0; page < 3; page++) {
      int n = page == 1 ? 1023 : 5000; // a page that ends inside the buffer, and two past several flushes
      for (int i = 0; i < n; i++) {
        float v = i < special.length ? special[i] : Float.intBitsToFloat(rnd.nextInt());
        ours.writeFloat(v);
        theirs.writeFloat(v);
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
  void theFactoryTakesOnlyFloatColumnsWithoutADictionary() {
    ParquetProperties p = props();
    ValuesWriter kmid = p.newValuesWriter(column("kmid"));
    assertThat(kmid, instanceOf(PlainFloatWriter.class));
    assertThat(p.newValuesWriter(column("rsi")), not(instanceOf(PlainFloatWriter.class)));
    assertThat(p.newValuesWriter(column("dict")), not(instanceOf(PlainFloatWriter.class)));
    assertThat(p.newValuesWriter(column("ticker")), not(instanceOf(PlainFloatWriter.class)));
  }
}
