package com.quantmini.io;

import com.quantmini.transforms.OptionsTicker;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.SessionFeatures;
import com.quantmini.transforms.model.SessionRows;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory.BytesCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes a session's bars as one Parquet file straight from the block's arrays, column by column
 * through parquet-java's column write store (no records, no per-row field events).
 * Types are what readers expect: DATE for the session, TIMESTAMP(NANOS, UTC) for window_start,
 * DOUBLE for prices and volume (lossless), nullable INT64 transactions. Avro is not used because
 * Avro 1.11 cannot express nanosecond timestamps. Dictionary encoding is on only for the string
 * columns, so every file of a dataset has the same schema and encodings, run after run.
 */
public final class BarParquet {
  private BarParquet() {}

  public static final String ZSTD_LEVEL = "parquet.compression.codec.zstd.level";
  /** The zstd level of every file we write. */
  public static final int DEFAULT_ZSTD_LEVEL = 3;

  /** The bronze schema of a dataset; options add the fields parsed from the contract ticker. */
  public static MessageType schema(Dataset dataset) {
    return schema(dataset, List.of(), List.of());
  }

  /** Bronze's column names, in file order (the options' contract fields follow these). */
  private static final List<String> BAR_COLUMNS = List.of("ticker", "session_date", "window_start", "open", "high",
      "low", "close", "volume", "transactions");
  private static final List<String> CONTRACT_COLUMNS = List.of("underlying", "expiration", "contract_type", "strike");

  /**
   * The column names of {@link #schema(Dataset, List, List)}, in order, without building it: a lake
   * query needs only the names, and loading Parquet's schema classes costs a cold command ~100 ms.
   */
  public static List<String> columnNames(Dataset dataset, List<String> floatNames, List<String> doubleNames) {
    List<String> out = new ArrayList<>(BAR_COLUMNS);
    if (dataset.isOptions()) {
      out.addAll(CONTRACT_COLUMNS);
    }
    out.addAll(floatNames);
    out.addAll(doubleNames);
    return out;
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
  public static void write(SessionRows rows, ResourceId target, long rowGroupBytes) throws IOException {
    write(rows, target, rowGroupBytes, DEFAULT_ZSTD_LEVEL);
  }

  /** As {@link #write(SessionRows, ResourceId, long)} with another zstd level (benchmarks). */
  public static void write(SessionRows rows, ResourceId target, long rowGroupBytes, int zstdLevel)
      throws IOException {
    MessageType schema = schema(rows.dataset(), rows.floatNames(), rows.doubleNames());
    ParquetProperties props = ParquetProperties.builder()
        .withDictionaryEncoding(false)
        .withDictionaryEncoding("ticker", true)
        .withDictionaryEncoding("underlying", true)
        .withDictionaryEncoding("contract_type", true)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withValuesWriterFactory(new PlainWriter.Factory())
        .build();
    ZstdPageCompressor zstd = new ZstdPageCompressor(zstdLevel);
    BeamOutputFile out = new BeamOutputFile(target);
    try {
      ParquetFileWriter file = new ParquetFileWriter(out, schema, ParquetFileWriter.Mode.OVERWRITE,
          rowGroupBytes, ParquetWriter.MAX_PADDING_SIZE_DEFAULT, props.getColumnIndexTruncateLength(),
          props.getStatisticsTruncateLength(), props.getPageWriteChecksumEnabled());
      file.start();
      new ColumnFiller(rows, schema).writeRowGroups(file, props, zstd, rowGroupBytes);
      file.end(Map.of("quantmini.source", rows.source()));
    } catch (IOException | RuntimeException e) {
      out.closeQuietly();
      throw e;
    } finally {
      zstd.release();
    }
  }

  static Configuration conf() {
    Configuration c = new Configuration(false);
    c.setInt(ZSTD_LEVEL, DEFAULT_ZSTD_LEVEL);
    return c;
  }

  /**
   * Feeds each column of a row group from the rows' arrays with one loop per column, a page's
   * worth of rows at a time (no per-row record assembly). Slices of at most the page row limit
   * keep the pages, statistics and column indexes those of the row-wise writer; each slice's rows
   * are asked of the source only then, so merged rows exist a slice at a time.
   */
  private static final class ColumnFiller {
    private static final int PAGE_ROWS = ParquetProperties.DEFAULT_PAGE_ROW_COUNT_LIMIT;
    private static final int MIN_SLICE = ParquetProperties.DEFAULT_MINIMUM_RECORD_COUNT_FOR_CHECK;

    private final SessionRows source;
    private final MessageType schema;
    private final List<ColumnDescriptor> columns;
    private final boolean options;
    private final int sessionDay;
    private final Map<String, Binary> binaries = new HashMap<>();
    private final Map<String, Contract> contracts = new HashMap<>();
    private final Binary[] tickerSlice = new Binary[PAGE_ROWS];
    private final Contract[] contractSlice = new Contract[PAGE_ROWS];

    ColumnFiller(SessionRows source, MessageType schema) {
      this.source = source;
      this.schema = schema;
      this.columns = schema.getColumns();
      this.options = source.dataset().isOptions();
      this.sessionDay = (int) LocalDate.parse(source.session()).toEpochDay();
    }

    /**
     * Cuts row groups as the row-wise writer did: a group ends once its buffered bytes (compressed
     * pages plus the open page) come within two rows of {@code rowGroupBytes}. Checked after each
     * slice; a group's first slice is sized from the previous group's bytes per row (the file's
     * first from a 100-row probe), so a small row group is not overshot by a whole page.
     */
    void writeRowGroups(ParquetFileWriter file, ParquetProperties props, BytesCompressor compressor,
        long rowGroupBytes) throws IOException {
      int n = source.size();
      long perRow = 0;
      for (int from = 0; from < n; ) {
        ColumnChunkPageWriteStore pages = new ColumnChunkPageWriteStore(compressor, schema,
            props.getAllocator(), props.getColumnIndexTruncateLength(), props.getPageWriteChecksumEnabled());
        ColumnWriteStore store = props.newColumnWriteStore(schema, pages, pages);
        long buffered = 0;
        int to = from;
        while (to < n) {
          int inGroup = to - from;
          if (inGroup > 0) {
            buffered = store.getBufferedSize();
            perRow = Math.max(1, buffered / inGroup);
            if (buffered > rowGroupBytes - 2 * perRow) {
              break;
            }
          }
          long fits = perRow == 0 ? MIN_SLICE : Math.max(MIN_SLICE, (rowGroupBytes - buffered) / perRow);
          int len = (int) Math.min(Math.min(PAGE_ROWS - inGroup % PAGE_ROWS, fits), n - to);
          writeSlice(store, to, to + len);
          to += len;
        }
        file.startBlock(to - from);
        store.flush();
        pages.flushToFileWriter(file);
        file.endBlock();
        from = to;
      }
    }

    /** Rows [from, to) of every column, in schema order; then the store learns the rows ended. */
    private void writeSlice(ColumnWriteStore store, int sliceFrom, int sliceTo) {
      SessionRows.Slice slice = source.slice(sliceFrom, sliceTo);
      SessionFeatures rows = slice.rows();
      BarBlock b = rows.rows();
      int from = sliceFrom - slice.first();
      int to = sliceTo - slice.first();
      int c = 0;
      lookUp(b, from, to);
      ColumnWriter w = store.getColumnWriter(columns.get(c++));
      for (int i = from; i < to; i++) {
        w.write(tickerSlice[i - from], 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = from; i < to; i++) {
        w.write(sessionDay, 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = from; i < to; i++) {
        w.write(b.windowStart(i), 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = from; i < to; i++) {
        w.write(b.open(i), 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = from; i < to; i++) {
        w.write(b.high(i), 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = from; i < to; i++) {
        w.write(b.low(i), 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = from; i < to; i++) {
        w.write(b.close(i), 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = from; i < to; i++) {
        w.write(b.volume(i), 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = from; i < to; i++) {
        if (b.hasTransactions(i)) {
          w.write(b.transactions(i), 0, 1);
        } else {
          w.writeNull(0, 0);
        }
      }
      if (options) {
        c = writeContracts(store, c, to - from);
      }
      for (float[] f : rows.floats()) {
        w = store.getColumnWriter(columns.get(c++));
        for (int i = from; i < to; i++) {
          float v = f[i];
          if (Float.isNaN(v)) {
            w.writeNull(0, 0);
          } else {
            w.write(v, 0, 1);
          }
        }
      }
      for (double[] d : rows.doubles()) {
        w = store.getColumnWriter(columns.get(c++));
        for (int i = from; i < to; i++) {
          double v = d[i];
          if (Double.isNaN(v)) {
            w.writeNull(0, 0);
          } else {
            w.write(v, 0, 1);
          }
        }
      }
      for (int i = from; i < to; i++) {
        store.endRecord();
      }
    }

    /** The options columns parsed from the contract ticker, from the slice's looked-up contracts. */
    private int writeContracts(ColumnWriteStore store, int c, int len) {
      ColumnWriter w = store.getColumnWriter(columns.get(c++));
      for (int i = 0; i < len; i++) {
        w.write(contractSlice[i].underlying, 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = 0; i < len; i++) {
        w.write(contractSlice[i].expiration, 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = 0; i < len; i++) {
        w.write(contractSlice[i].type, 0, 0);
      }
      w = store.getColumnWriter(columns.get(c++));
      for (int i = 0; i < len; i++) {
        w.write(contractSlice[i].strike, 0, 0);
      }
      return c;
    }

    /** Tickers (and contracts) of the slice; rows of one ticker are adjacent, so mostly no lookup. */
    private void lookUp(BarBlock b, int from, int to) {
      String last = null;
      Binary bin = null;
      Contract contract = null;
      for (int i = from; i < to; i++) {
        String t = b.ticker(i);
        if (t != last) {
          last = t;
          bin = binaries.computeIfAbsent(t, Binary::fromString);
          if (options) {
            contract = contracts.computeIfAbsent(t, k -> new Contract(OptionsTicker.parse(k), binaries));
          }
        }
        tickerSlice[i - from] = bin;
        contractSlice[i - from] = contract;
      }
    }
  }

  /** The options columns of one contract ticker, encoded once per file. */
  private static final class Contract {
    final Binary underlying;
    final int expiration;
    final Binary type;
    final double strike;

    Contract(OptionsTicker t, Map<String, Binary> binaries) {
      this.underlying = binaries.computeIfAbsent(t.underlying(), Binary::fromString);
      this.expiration = (int) t.expiration().toEpochDay();
      this.type = binaries.computeIfAbsent(t.contractType(), Binary::fromString);
      this.strike = t.strike();
    }
  }
}
