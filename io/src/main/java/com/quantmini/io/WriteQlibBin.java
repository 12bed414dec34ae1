package com.quantmini.io;

import com.quantmini.transforms.QlibNames;
import com.quantmini.transforms.SymbolSeries;
import com.quantmini.transforms.OptionsTicker;
import com.quantmini.transforms.model.FeatureBlock;
import java.util.Set;
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
 * close, volume, transactions and every feature (lower-cased name, float32). Every file is written
 * to a temp name and renamed, and the bytes depend only on the data (never on runner, threads or
 * reading order). For options, {@code underlyings} (when not empty) limits which contracts are
 * exported. Returns the paths written.
 */
public final class WriteQlibBin
    extends PTransform<PCollection<KV<String, Iterable<FeatureBlock>>>, PCollection<String>> {
  static final String[] FIELDS = {"open", "high", "low", "close", "volume", "transactions"};

  private final String root;
  private final PCollection<KV<String, long[]>> calendars;
  private final Set<String> underlyings;

  private WriteQlibBin(String root, PCollection<KV<String, long[]>> calendars, Set<String> underlyings) {
    this.root = root;
    this.calendars = calendars;
    this.underlyings = underlyings;
  }

  /** {@code calendars}: each dataset's slot times, as {@code TradingCalendar} computes them. */
  public static WriteQlibBin to(String root, PCollection<KV<String, long[]>> calendars) {
    return new WriteQlibBin(root, calendars, Set.of());
  }

  /** Options only: export the contracts of these OCC roots; empty = all. */
  public WriteQlibBin withUnderlyings(List<String> roots) {
    return new WriteQlibBin(root, calendars, Set.copyOf(roots));
  }

  static String datasetRoot(String root, String dataset) {
    return root + "/" + dataset;
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, Iterable<FeatureBlock>>> buckets) {
    PCollectionView<Map<String, long[]>> calendarView = calendars.apply("CalendarAsMap", View.asMap());
    PCollection<KV<String, String>> spans = buckets.apply("WriteFeatureFiles",
            ParDo.of(new WriteBucketFn(root, calendarView, underlyings)).withSideInputs(calendarView))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    PCollection<String> instruments = spans.apply("GroupSpans", GroupByKey.create())
        .apply("WriteInstruments", ParDo.of(new WriteInstrumentsFn(root)));
    PCollection<String> calendarFiles = calendars.apply("WriteCalendars", ParDo.of(new WriteCalendarFn(root)));
    return PCollectionList.of(instruments).and(calendarFiles).apply("Written", Flatten.pCollections());
  }

  /** Writes every symbol of one bucket; emits each symbol's all.txt line keyed by dataset. */
  static final class WriteBucketFn extends DoFn<KV<String, Iterable<FeatureBlock>>, KV<String, String>> {
    private final Counter symbols = Metrics.counter(WriteQlibBin.class, "symbolsWritten");
    private final Counter files = Metrics.counter(WriteQlibBin.class, "binFilesWritten");
    private final Counter skipped = Metrics.counter(WriteQlibBin.class, "contractsNotExported");
    private final String root;
    private final PCollectionView<Map<String, long[]>> calendarView;
    private final Set<String> underlyings;

    WriteBucketFn(String root, PCollectionView<Map<String, long[]>> calendarView, Set<String> underlyings) {
      this.root = root;
      this.calendarView = calendarView;
      this.underlyings = underlyings;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<FeatureBlock>> bucket, ProcessContext c)
        throws IOException {
      String dataset = bucket.getKey().substring(0, bucket.getKey().indexOf('/'));
      Dataset ds = Dataset.valueOf(dataset);
      long[] calendar = c.sideInput(calendarView).get(dataset);
      for (FeatureBlock block : bucket.getValue()) {
        for (FeatureBlock.Symbol sym : block.symbols()) {
          SymbolSeries s = sym.series;
          if (ds.isOptions() && !underlyings.isEmpty()
              && !underlyings.contains(OptionsTicker.parse(s.ticker).underlying())) {
            skipped.inc();
            continue;
          }
          writeSymbol(block, sym, ds, calendar, c);
        }
      }
    }

    private void writeSymbol(FeatureBlock block, FeatureBlock.Symbol sym, Dataset ds, long[] calendar,
        ProcessContext c) throws IOException {
        SymbolSeries s = sym.series;
        String dataset = ds.name();
        String dir = datasetRoot(root, dataset) + "/features/" + QlibNames.directory(s.instrument);
        String suffix = "." + ds.qlibFreq() + ".bin";
        double[][] cols = {s.open, s.high, s.low, s.close, s.volume, s.transactions};
        for (int f = 0; f < FIELDS.length; f++) {
          AtomicFiles.writeBytes(AtomicFiles.resource(dir + "/" + FIELDS[f] + suffix),
              QlibBin.fieldFile(s.start, cols[f]));
        }
        for (int f = 0; f < sym.floats.length; f++) {
          AtomicFiles.writeBytes(AtomicFiles.resource(dir + "/" + field(block.floatNames().get(f)) + suffix),
              QlibBin.fieldFile(s.start, sym.floats[f]));
        }
        for (int d = 0; d < sym.doubles.length; d++) {
          AtomicFiles.writeBytes(AtomicFiles.resource(dir + "/" + field(block.doubleNames().get(d)) + suffix),
              QlibBin.fieldFile(s.start, sym.doubles[d]));
        }
        files.inc(FIELDS.length + sym.floats.length + sym.doubles.length);
        symbols.inc();
        c.output(KV.of(dataset, s.instrument + "\t" + QlibBin.formatSlot(calendar[s.start], ds.isDaily())
            + "\t" + QlibBin.formatSlot(calendar[s.end()], ds.isDaily())));
    }
  }

  /** Qlib reads {@code $kmid} from {@code kmid.<freq>.bin}: field names are lower-cased. */
  static String field(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
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
