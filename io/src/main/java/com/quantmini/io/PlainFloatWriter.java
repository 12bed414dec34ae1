package com.quantmini.io;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.CapacityByteArrayOutputStream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * PLAIN encoding of a FLOAT column, byte for byte parquet-java's, through a small buffer:
 * parquet-java's plain writer hands each float to its page buffer one byte at a time (four calls
 * per value), which was 7 % of a minute session's silver write with all features.
 */
final class PlainFloatWriter extends ValuesWriter {
  private final CapacityByteArrayOutputStream page;
  private final byte[] buf = new byte[4096];
  private int used;

  PlainFloatWriter(int initialSlabSize, int maxCapacityHint, ParquetProperties props) {
    this.page = new CapacityByteArrayOutputStream(initialSlabSize, maxCapacityHint, props.getAllocator());
  }

  @Override
  public void writeFloat(float v) {
    if (used == buf.length) {
      flush();
    }
    int bits = Float.floatToIntBits(v); // as parquet-java's writer: one NaN
    buf[used] = (byte) bits;
    buf[used + 1] = (byte) (bits >>> 8);
    buf[used + 2] = (byte) (bits >>> 16);
    buf[used + 3] = (byte) (bits >>> 24);
    used += 4;
  }

  private void flush() {
    page.write(buf, 0, used);
    used = 0;
  }

  @Override
  public long getBufferedSize() {
    return page.size() + used;
  }

  @Override
  public BytesInput getBytes() {
    flush();
    return BytesInput.from(page);
  }

  @Override
  public Encoding getEncoding() {
    return Encoding.PLAIN;
  }

  @Override
  public void reset() {
    used = 0;
    page.reset();
  }

  @Override
  public void close() {
    used = 0;
    page.close();
  }

  @Override
  public long getAllocatedSize() {
    return page.getCapacity();
  }

  @Override
  public String memUsageString(String prefix) {
    return page.memUsageString(prefix + " PLAIN");
  }

  /** parquet-java's V1 writers, with this one for FLOAT columns without a dictionary. */
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
      if (column.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.FLOAT
          && !props.isDictionaryEnabled(column)) {
        return new PlainFloatWriter(props.getInitialSlabSize(), props.getPageSizeThreshold(), props);
      }
      return defaults.newValuesWriter(column);
    }
  }
}
