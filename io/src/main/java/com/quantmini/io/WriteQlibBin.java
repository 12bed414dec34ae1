package com.quantmini.io;

import com.quantmini.transforms.QlibNames;
import com.quantmini.transforms.SymbolSeries;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes Qlib's binary layout under {@code <root>/<dataset>/}: {@code calendars/<freq>.txt},
 * {@code instruments/all.txt} and {@code features/<dir>/<field>.<freq>.bin} for open, high, low,
 * close, volume and transactions. Every file is written to a temp name and renamed, and the bytes
 * depend only on the data (never on runner, threads or reading order). Returns the paths written.
 */
public final class WriteQlibBin
    extends PTransform<PCollection<KV<String, Iterable<BarBlock>>>, PCollection<String>> {
  static final String[] FIELDS = {"open", "high", "low", "close", "volume", "transactions"};

  private final String root;
  private final PCollection<KV<String, long[]>> calendars;

  private WriteQlibBin(String root, PCollection<KV<String, long[]>> calendars) {
    this.root = root;
    this.calendars = calendars;
  }

  /** {@code calendars}: each dataset's slot times, as {@code TradingCalendar} computes them. */
  public static WriteQlibBin to(String root, PCollection<KV<String, long[]>> calendars) {
    return new WriteQlibBin(root, calendars);
  }

  static String datasetRoot(String root, String dataset) {
    return root + "/" + dataset;
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, Iterable<BarBlock>>> buckets) {
    PCollectionView<Map<String, long[]>> calendarView = calendars.apply("CalendarAsMap", View.asMap());
    PCollection<KV<String, String>> spans = buckets.apply("WriteFeatureFiles",
            ParDo.of(new WriteBucketFn(root, calendarView)).withSideInputs(calendarView))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    PCollection<String> instruments = spans.apply("GroupSpans", GroupByKey.create())
        .apply("WriteInstruments", ParDo.of(new WriteInstrumentsFn(root)));
    PCollection<String> calendarFiles = calendars.apply("WriteCalendars", ParDo.of(new WriteCalendarFn(root)));
    return PCollectionList.of(instruments).and(calendarFiles).apply("Written", Flatten.pCollections());
  }

  /** Writes every symbol of one bucket; emits each symbol's all.txt line keyed by dataset. */
  static final class WriteBucketFn extends DoFn<KV<String, Iterable<BarBlock>>, KV<String, String>> {
    private final Counter symbols = Metrics.counter(WriteQlibBin.class, "symbolsWritten");
    private final Counter files = Metrics.counter(WriteQlibBin.class, "binFilesWritten");
    private final String root;
    private final PCollectionView<Map<String, long[]>> calendarView;

    WriteBucketFn(String root, PCollectionView<Map<String, long[]>> calendarView) {
      this.root = root;
      this.calendarView = calendarView;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<BarBlock>> bucket, ProcessContext c)
        throws IOException {
      String dataset = bucket.getKey().substring(0, bucket.getKey().indexOf('/'));
      Dataset ds = Dataset.valueOf(dataset);
      long[] calendar = c.sideInput(calendarView).get(dataset);
      for (SymbolSeries s : SymbolSeries.assemble(bucket.getValue(), calendar, ds)) {
        String dir = datasetRoot(root, dataset) + "/features/" + QlibNames.directory(s.instrument);
        double[][] cols = {s.open, s.high, s.low, s.close, s.volume, s.transactions};
        for (int f = 0; f < FIELDS.length; f++) {
          AtomicFiles.writeBytes(AtomicFiles.resource(dir + "/" + FIELDS[f] + "." + ds.qlibFreq() + ".bin"),
              QlibBin.fieldFile(s.start, cols[f]));
          files.inc();
        }
        symbols.inc();
        c.output(KV.of(dataset, s.instrument + "\t" + QlibBin.formatSlot(calendar[s.start], ds.isDaily())
            + "\t" + QlibBin.formatSlot(calendar[s.end()], ds.isDaily())));
      }
    }
  }

  /** all.txt: one line per instrument, sorted, so the file is the same whatever the order. */
  static final class WriteInstrumentsFn extends DoFn<KV<String, Iterable<String>>, String> {
    private final String root;

    WriteInstrumentsFn(String root) {
      this.root = root;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> spans, OutputReceiver<String> out)
        throws IOException {
      List<String> lines = new ArrayList<>();
      spans.getValue().forEach(lines::add);
      lines.sort(null);
      StringBuilder sb = new StringBuilder();
      lines.forEach(l -> sb.append(l).append('\n'));
      String path = datasetRoot(root, spans.getKey()) + "/instruments/all.txt";
      AtomicFiles.writeString(AtomicFiles.resource(path), sb.toString());
      out.output(path);
    }
  }

  static final class WriteCalendarFn extends DoFn<KV<String, long[]>, String> {
    private final String root;

    WriteCalendarFn(String root) {
      this.root = root;
    }

    @ProcessElement
    public void process(@Element KV<String, long[]> calendar, OutputReceiver<String> out)
        throws IOException {
      Dataset ds = Dataset.valueOf(calendar.getKey());
      StringBuilder sb = new StringBuilder();
      for (long t : calendar.getValue()) {
        sb.append(QlibBin.formatSlot(t, ds.isDaily())).append('\n');
      }
      String path = datasetRoot(root, ds.name()) + "/calendars/" + ds.qlibFreq() + ".txt";
      AtomicFiles.writeString(AtomicFiles.resource(path), sb.toString());
      out.output(path);
    }
  }
}
