package com.quantmini.io.lake;

import com.quantmini.io.LocalInputFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.schema.MessageType;

/**
 * The bars of bronze session files, read column by column with parquet-java (only the columns
 * validation needs, no record objects): each symbol's bars in time order. A bar's time is its
 * session's epoch day (daily) or its window_start in ns (minute), the calendar slot key the Qlib
 * writer uses.
 */
final class BronzeBars {
  private BronzeBars() {}

  /** One symbol's bars, in the order the files were added (sessions ascending, rows by time). */
  static final class Series {
    final String ticker;
    int size;
    long[] time = new long[8];
    double[] open = new double[8];
    double[] high = new double[8];
    double[] low = new double[8];
    double[] close = new double[8];
    double[] volume = new double[8];
    /** NaN where the source has no transactions. */
    double[] transactions = new double[8];

    Series(String ticker) {
      this.ticker = ticker;
    }

    void add(FileBars f, int i) {
      if (size == time.length) {
        int n = size * 2;
        time = Arrays.copyOf(time, n);
        open = Arrays.copyOf(open, n);
        high = Arrays.copyOf(high, n);
        low = Arrays.copyOf(low, n);
        close = Arrays.copyOf(close, n);
        volume = Arrays.copyOf(volume, n);
        transactions = Arrays.copyOf(transactions, n);
      }
      time[size] = f.time[i];
      open[size] = f.open[i];
      high[size] = f.high[i];
      low[size] = f.low[i];
      close[size] = f.close[i];
      volume[size] = f.volume[i];
      transactions[size] = f.transactions[i];
      size++;
    }
  }

  /** The rows of one session file, as columns. */
  static final class FileBars {
    final String[] ticker;
    final long[] time;
    final double[] open;
    final double[] high;
    final double[] low;
    final double[] close;
    final double[] volume;
    final double[] transactions;

    FileBars(int n) {
      ticker = new String[n];
      time = new long[n];
      open = new double[n];
      high = new double[n];
      low = new double[n];
      close = new double[n];
      volume = new double[n];
      transactions = new double[n];
    }

    int size() {
      return ticker.length;
    }
  }

  /** Rows recorded in a Parquet file's footer (nothing else is read). */
  static long rowCount(Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      return r.getRecordCount();
    }
  }

  /** Reads one bronze file's bar columns. */
  static FileBars read(Path file, boolean daily) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      MessageType schema = r.getFooter().getFileMetaData().getSchema();
      List<String> names = List.of("ticker", daily ? "session_date" : "window_start", "open", "high", "low", "close",
          "volume", "transactions");
      MessageType projection = new MessageType(schema.getName(), names.stream().map(schema::getType).toList());
      r.setRequestedSchema(projection);
      String createdBy = r.getFooter().getFileMetaData().getCreatedBy();
      GroupConverter converter = new GroupRecordConverter(projection).getRootConverter();
      List<ColumnDescriptor> cols = projection.getColumns();
      FileBars out = new FileBars(Math.toIntExact(r.getRecordCount()));
      Map<Binary, String> tickers = new HashMap<>(); // dictionary pages hand out the same few values
      int at = 0;
      for (PageReadStore pages = r.readNextRowGroup(); pages != null; pages = r.readNextRowGroup()) {
        int rows = Math.toIntExact(pages.getRowCount());
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, converter, projection, createdBy);
        ColumnReader t = store.getColumnReader(cols.get(0));
        ColumnReader time = store.getColumnReader(cols.get(1));
        for (int k = 0; k < rows; k++, t.consume(), time.consume()) {
          out.ticker[at + k] = tickers.computeIfAbsent(t.getBinary(), Binary::toStringUsingUTF8);
          out.time[at + k] = daily ? time.getInteger() : time.getLong();
        }
        double[][] targets = {out.open, out.high, out.low, out.close, out.volume};
        for (int c = 0; c < targets.length; c++) {
          ColumnReader v = store.getColumnReader(cols.get(2 + c));
          for (int k = 0; k < rows; k++, v.consume()) {
            targets[c][at + k] = v.getDouble();
          }
        }
        ColumnDescriptor txd = cols.get(7);
        ColumnReader tx = store.getColumnReader(txd);
        for (int k = 0; k < rows; k++, tx.consume()) {
          out.transactions[at + k] = tx.getCurrentDefinitionLevel() == txd.getMaxDefinitionLevel()
              ? tx.getLong() : Double.NaN;
        }
        at += rows;
      }
      return out;
    }
  }
}
