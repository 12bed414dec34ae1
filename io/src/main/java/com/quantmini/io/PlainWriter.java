package com.quantmini.io;

import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * PLAIN encoding of FLOAT, DOUBLE, INT32 and INT64 columns, byte for byte parquet-java's, into one
 * page buffer kept from page to page. parquet-java's plain writer hands each value to its page
 * one byte at a time (7 % of a minute session's silver write) and allocates its page afresh after
 * every page in growing slabs (a third of the minute ingest's bronze write went to allocating them).
 * The page's bytes are handed out until {@link #reset}, which the column writer calls only after
 * the page store has compressed them.
 */
final class PlainWriter extends ValuesWriter {
  private byte[] page;
  private int used;

  PlainWriter(int initialBytes) {
    this.page = new byte[Math.max(64, initialBytes)];
  }

  private void room(int bytes) {
    if (page.length - used < bytes) {
      page = Arrays.copyOf(page, Math.max(page.length * 2, used + bytes));
    }
  }

  private void put4(int bits) {
    room(4);
    page[used] = (byte) bits;
    page[used + 1] = (byte) (bits >>> 8);
    page[used + 2] = (byte) (bits >>> 16);
    page[used + 3] = (byte) (bits >>> 24);
    used += 4;
  }

  private void put8(long bits) {
    room(8);
    for (int b = 0; b < 8; b++) {
      page[used + b] = (byte) (bits >>> (8 * b));
    }
    used += 8;
  }

  @Override
  public void writeFloat(float v) {
    put4(Float.floatToIntBits(v)); // as parquet-java's writer: one NaN
  }

  @Override
  public void writeDouble(double v) {
    put8(Double.doubleToLongBits(v));
  }

  @Override
  public void writeInteger(int v) {
    put4(v);
  }

  @Override
  public void writeLong(long v) {
    put8(v);
  }

  @Override
  public long getBufferedSize() {
    return used;
  }

  @Override
  public BytesInput getBytes() {
    return BytesInput.from(page, 0, used);
  }

  @Override
  public Encoding getEncoding() {
    return Encoding.PLAIN;
  }

  @Override
  public void reset() {
    used = 0;
  }

  @Override
  public void close() {
    used = 0;
    page = new byte[0];
  }

  @Override
  public long getAllocatedSize() {
    return page.length;
  }

  @Override
  public String memUsageString(String prefix) {
    return prefix + " PLAIN " + used + "/" + page.length + " bytes";
  }

  /** parquet-java's V1 writers, with this one for fixed-width number columns without a dictionary. */
  static final class Factory implements ValuesWriterFactory {
    private final DefaultV1ValuesWriterFactory defaults = new DefaultV1ValuesWriterFactory();
    private ParquetProperties props;

    @Override
    public void initialize(ParquetProperties properties) {
      this.props = properties;
      defaults.initialize(properties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor column) {
      PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
      boolean number = type == PrimitiveTypeName.FLOAT || type == PrimitiveTypeName.DOUBLE
          || type == PrimitiveTypeName.INT32 || type == PrimitiveTypeName.INT64;
      if (number && !props.isDictionaryEnabled(column) && !props.isByteStreamSplitEnabled()) {
        return new PlainWriter(props.getInitialSlabSize());
      }
      return defaults.newValuesWriter(column);
    }
  }
}
