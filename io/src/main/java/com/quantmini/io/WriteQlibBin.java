package com.quantmini.io;

import com.quantmini.io.FileStateStore.Staged;
import com.quantmini.transforms.CalendarViews;
import com.quantmini.transforms.DiskSync;
import com.quantmini.transforms.FeatureMath;
import com.quantmini.transforms.OptionsTicker;
import com.quantmini.transforms.QlibFields;
import com.quantmini.transforms.QlibNames;
import com.quantmini.transforms.SeriesMerge;
import com.quantmini.transforms.StepClock;
import com.quantmini.transforms.SymbolSeries;
import com.quantmini.transforms.model.BucketKey;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.FeatureBlock;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes Qlib's binary layout for each dataset (see {@link QlibLayout} for versions and commit):
 * {@code calendars/<freq>.txt}, {@code instruments/all.txt} and
 * {@code features/<dir>/<field>.<freq>.bin} for open, high, low, close, volume, transactions and
 * the features {@link QlibFields} exports (lower-cased name, float32). A symbol's files change only from its first changed
 * slot on: the bytes before it are kept, the rest is written from this run's values, so a daily
 * update costs the new slots, not the history. It saves nothing but its own files (the state is
 * {@code WindowedFeatures}' through the {@code StateStore}). The bytes depend only on the data, never on the runner, threads or reading order. For
 * options, {@code underlyings} (when not empty) limits which contracts are exported.
 * Returns the paths of the per-dataset files it staged.
 */
public final class WriteQlibBin
    extends PTransform<PCollection<KV<String, Iterable<FeatureBlock>>>, PCollection<String>> {
  static final String[] FIELDS = {"open", "high", "low", "close", "volume", "transactions"};

  private final CalendarViews views;
  private final Map<String, QlibLayout> layouts;
  private final Set<String> underlyings;
  private final Map<String, QlibFields> exported;

  private WriteQlibBin(CalendarViews views, Map<String, QlibLayout> layouts, Set<String> underlyings,
      Map<String, QlibFields> exported) {
    this.views = views;
    this.layouts = layouts;
    this.underlyings = underlyings;
    this.exported = exported;
  }

  /**
   * @param views each dataset's calendar after and before this run, and the sessions it processed
   * @param layouts where each dataset's versions and state live
   */
  public static WriteQlibBin to(CalendarViews views, Map<String, QlibLayout> layouts) {
    return new WriteQlibBin(views, new HashMap<>(layouts), Set.of(), Map.of());
  }

  /** Options only: export the contracts of these OCC roots; empty = all. */
  public WriteQlibBin withUnderlyings(List<String> roots) {
    return new WriteQlibBin(views, layouts, Set.copyOf(roots), exported);
  }

  /** The features each dataset exports (by dataset name); a dataset not named gets {@link QlibFields#DEFAULT}. */
  public WriteQlibBin withFields(Map<String, QlibFields> fields) {
    return new WriteQlibBin(views, layouts, underlyings, new HashMap<>(fields));
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, Iterable<FeatureBlock>>> buckets) {
    PCollectionView<Map<String, long[]>> calendarView = views.calendars();
    PCollectionView<Map<String, long[]>> priorView = views.prior();
    PCollectionView<Map<String, Iterable<String>>> fresh = views.fresh();
    PCollection<KV<String, String>> spans = buckets.apply("WriteFeatureFiles",
            ParDo.of(new WriteBucketFn(layouts, calendarView, priorView, fresh, underlyings, exported))
                .withSideInputs(calendarView, priorView, fresh))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return spans.apply("GroupSpans", GroupByKey.create())
        .apply("WriteInstrumentsAndCalendar",
            ParDo.of(new WriteDatasetFn(layouts, calendarView, priorView, fresh)).withSideInputs(calendarView, priorView, fresh));
  }

  /** True when this run only adds sessions after the old calendar's end to an existing version. */
  static boolean inPlace(QlibLayout layout, long[] oldCal, long[] newCal, Iterable<String> freshSessions, Dataset ds) {
    if (layout.liveDir == null || oldCal.length == 0
        || SeriesMerge.firstInsertion(oldCal, newCal) != oldCal.length) {
      return false;
    }
    long last = oldCal[oldCal.length - 1];
    String lastSession = ds.isDaily() ? LocalDate.ofEpochDay(last).toString()
        : LocalDate.ofEpochDay(FeatureMath.nyDay(last)).toString();
    for (String s : freshSessions) {
      if (s.compareTo(lastSession) <= 0) {
        return false;
      }
    }
    return true;
  }

  /** Qlib reads {@code $kmid} from {@code kmid.<freq>.bin}: field names are lower-cased. */
  static String field(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** A folder on the output's file system (for syncing it), or null without layouts. */
  static String anyStateDir(Map<String, QlibLayout> layouts) {
    return layouts.isEmpty() ? null : layouts.values().iterator().next().stateDir;
  }

  static boolean isLocal(String path) {
    return !path.contains("://");
  }

  /** Writes every symbol of one bucket; emits each symbol's all.txt line keyed by dataset. */
  static final class WriteBucketFn extends DoFn<KV<String, Iterable<FeatureBlock>>, KV<String, String>> {
    private final Counter symbols = Metrics.counter(WriteQlibBin.class, "symbolsWritten");
    private final Counter files = Metrics.counter(WriteQlibBin.class, "binFilesWritten");
    private final Counter carried = Metrics.counter(WriteQlibBin.class, "symbolsCarriedOver");
    private final Counter skipped = Metrics.counter(WriteQlibBin.class, "contractsNotExported");
    private final Map<String, QlibLayout> layouts;
    private final PCollectionView<Map<String, long[]>> calendarView;
    private final PCollectionView<Map<String, long[]>> priorView;
    private final PCollectionView<Map<String, Iterable<String>>> freshView;
    private final Set<String> underlyings;
    private final Map<String, QlibFields> exported;

    WriteBucketFn(Map<String, QlibLayout> layouts, PCollectionView<Map<String, long[]>> calendarView,
        PCollectionView<Map<String, long[]>> priorView, PCollectionView<Map<String, Iterable<String>>> freshView,
        Set<String> underlyings, Map<String, QlibFields> exported) {
      this.exported = exported;
      this.layouts = layouts;
      this.calendarView = calendarView;
      this.priorView = priorView;
      this.freshView = freshView;
      this.underlyings = underlyings;
    }

    private final Distribution micros = Metrics.distribution(WriteQlibBin.class, "qlibWriteMicros");

    @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), anyStateDir(layouts));
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<FeatureBlock>> bucket, ProcessContext c) throws IOException {
      StepClock.micros(micros, () -> doProcess(bucket, c));
    }

    private void doProcess(KV<String, Iterable<FeatureBlock>> bucket, ProcessContext c) throws IOException {
      String dataset = BucketKey.parse(bucket.getKey()).dataset().name();
      if (!exported.getOrDefault(dataset, QlibFields.DEFAULT).writesQlib()) {
        return; // --qlibFields=none: this dataset has no Qlib tree
      }
      Dataset ds = Dataset.valueOf(dataset);
      QlibLayout layout = layouts.get(dataset);
      long[] calendar = c.sideInput(calendarView).get(dataset);
      long[] oldCal = c.sideInput(priorView).getOrDefault(dataset, new long[0]);
      boolean inPlace = inPlace(layout, oldCal, calendar, c.sideInput(freshView).get(dataset), ds);
      String target = inPlace ? layout.liveDir : layout.nextDir;
      for (FeatureBlock stored : bucket.getValue()) {
        FeatureBlock block = WorkFolder.load(stored);
        for (FeatureBlock.Symbol sym : block.symbols()) {
          if (ds.isOptions() && !underlyings.isEmpty()
              && !underlyings.contains(OptionsTicker.parse(sym.state.ticker).underlying())) {
            skipped.inc();
            continue;
          }
          String dir = "/features/" + QlibNames.directory(sym.state.instrument);
          if (!sym.changed()) {
            if (!inPlace) {
              copyDir(layout.liveDir + dir, target + dir);
            }
            carried.inc();
          } else {
            writeSymbol(block, sym, ds, exported.getOrDefault(dataset, QlibFields.DEFAULT), layout.liveDir == null ? null : layout.liveDir + dir, target + dir, inPlace);
            symbols.inc();
          }
          c.output(KV.of(dataset, sym.state.instrument + "\t" + QlibBin.formatSlot(calendar[sym.origin], ds.isDaily())
              + "\t" + QlibBin.formatSlot(calendar[sym.end()], ds.isDaily())));
        }
      }
    }

    private void writeSymbol(FeatureBlock block, FeatureBlock.Symbol sym, Dataset ds, QlibFields fields, String oldDir,
        String dir, boolean inPlace) throws IOException {
      String suffix = "." + ds.qlibFreq() + ".bin";
      SymbolSeries s = sym.series;
      List<String> names = new ArrayList<>(List.of(FIELDS));
      List<float[]> columns = new ArrayList<>();
      // Stocks: Qlib's bar fields are the adjusted prices and volume (float32 of the double values);
      // adj_* are silver's names for them, not fields of their own.
      int adj = block.doubleNames().indexOf("adj_open");
      double[][] bars = adj < 0 ? new double[][] {s.open, s.high, s.low, s.close, s.volume, s.transactions}
          : new double[][] {sym.doubles[adj], sym.doubles[adj + 1], sym.doubles[adj + 2], sym.doubles[adj + 3],
              sym.doubles[adj + 4], s.transactions};
      for (double[] col : bars) {
        columns.add(toFloat(col));
      }
      for (int f = 0; f < sym.floats.length; f++) {
        if (!fields.exports(block.floatNames().get(f), true)) { // float32 columns are Alpha158's
          continue;
        }
        names.add(field(block.floatNames().get(f)));
        columns.add(sym.floats[f]);
      }
      for (int d = 0; d < sym.doubles.length; d++) {
        if (adj >= 0 && d >= adj && d < adj + 5 || !fields.exports(block.doubleNames().get(d), false)) {
          continue;
        }
        names.add(field(block.doubleNames().get(d)));
        columns.add(toFloat(sym.doubles[d]));
      }
      boolean whole = sym.oldOrigin < 0 || sym.changedFrom <= sym.origin;
      int keep = whole ? 0 : 4 * (1 + sym.changedFrom - sym.origin); // header + unchanged slots
      int from = (whole ? sym.origin : sym.changedFrom) - s.start;
      int to = sym.end() - s.start + 1;
      // A new version is invisible until the commit switches the link, so local files need no
      // temp-and-rename each: the version folder as a whole is what gets published atomically.
      // A new symbol of an in-place run is invisible until all.txt names it, and a re-run rewrites
      // its files whole: direct writes again, and no temp file is ever left in the live tree.
      Path direct = !isLocal(dir) ? null
          : !inPlace ? freshDir(Paths.get(dir))
          : whole ? Files.createDirectories(Paths.get(dir)) : null;
      for (int f = 0; f < names.size(); f++) {
        String name = names.get(f) + suffix;
        byte[] tail = values(columns.get(f), from, to, whole ? sym.origin : -1);
        if (inPlace && !whole && isLocal(dir)) {
          appendInPlace(Paths.get(dir, name), keep, tail);
          continue;
        }
        byte[] content = whole ? tail : concat(readPrefix(oldDir + "/" + name, keep), keep, tail);
        if (direct != null) {
          writeNew(direct.resolve(name), content);
        } else {
          AtomicFiles.writeBytes(AtomicFiles.resource(dir + "/" + name), content);
        }
      }
      files.inc(names.size());
    }

    /** Slots {@code [from, to)} of {@code col} as little-endian float32, after the header when {@code header >= 0}. */
    private static byte[] values(float[] col, int from, int to, int header) {
      ByteBuffer b = ByteBuffer.allocate(4 * (to - from) + (header >= 0 ? 4 : 0)).order(ByteOrder.LITTLE_ENDIAN);
      if (header >= 0) {
        b.putFloat(header);
      }
      for (int k = from; k < to; k++) {
        b.putFloat(Float.isNaN(col[k]) ? Float.NaN : col[k]);
      }
      return b.array();
    }

    private static byte[] concat(byte[] prefix, int keep, byte[] tail) {
      byte[] all = new byte[keep + tail.length];
      System.arraycopy(prefix, 0, all, 0, keep);
      System.arraycopy(tail, 0, all, keep, tail.length);
      return all;
    }

    /**
     * Creates a symbol's folder in a new version. A retried bundle finds it already there and
     * empties it, so what is written next always lands in new files, never through a hard link
     * {@link #copyDir} may have shared with the live version.
     */
    static Path freshDir(Path dir) throws IOException {
      try {
        Files.createDirectory(dir);
      } catch (NoSuchFileException e) {
        Files.createDirectories(dir);
      } catch (FileAlreadyExistsException e) {
        try (var files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Files.delete(f);
          }
        }
      }
      return dir;
    }

    private static void writeNew(Path file, byte[] content) throws IOException {
      try (OutputStream out = new FileOutputStream(file.toFile())) { // lighter than a FileChannel
        out.write(content);
      }
    }

    /**
     * Cuts the file back to the bytes that stay (undoing anything a crashed run appended) and
     * appends the new slots. The new slots lie beyond the live calendar, so readers do not see
     * them until the commit replaces the calendar.
     */
    private static void appendInPlace(Path file, int keep, byte[] tail) throws IOException {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        long size = ch.size();
        if (size < keep) {
          throw new IOException(file + " holds " + size + " bytes, the state expects at least " + keep
              + "; the Qlib tree was changed outside QuantMini");
        }
        if (size > keep) {
          ch.truncate(keep); // only after a killed run: an ftruncate per file costs a daily update ~15%
        }
        ByteBuffer b = ByteBuffer.wrap(tail);
        for (long at = keep; b.hasRemaining(); ) {
          at += ch.write(b, at);
        }
        // No fsync per file (one per file was 0.3 ms x 910 k files): the commit syncs the file
        // system once before it publishes anything (RunPlan.commit).
      }
    }

    private static byte[] readPrefix(String path, int keep) throws IOException {
      try (InputStream in = Channels.newInputStream(FileSystems.open(AtomicFiles.resource(path)))) {
        byte[] b = in.readNBytes(keep);
        if (b.length < keep) {
          throw new IOException(path + " is shorter than the state expects (" + b.length + " < " + keep + ")");
        }
        return b;
      }
    }

    /** Copies an unchanged symbol's files into a new version (hard links on a local disk). */
    private static void copyDir(String from, String to) throws IOException {
      if (isLocal(from)) {
        Path src = Paths.get(from);
        Path dst = Paths.get(to);
        Files.createDirectories(dst);
        try (var files = Files.list(src)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Path d = dst.resolve(f.getFileName());
            Files.deleteIfExists(d);
            Files.createLink(d, f); // files are replaced by rename, never modified in place here
          }
        }
        return;
      }
      MatchResult m = FileSystems.match(from + "/*", EmptyMatchTreatment.ALLOW);
      List<ResourceId> src = new ArrayList<>();
      List<ResourceId> dst = new ArrayList<>();
      for (MatchResult.Metadata md : m.metadata()) {
        src.add(md.resourceId());
        dst.add(AtomicFiles.resource(to + "/" + md.resourceId().getFilename()));
      }
      FileSystems.copy(src, dst);
    }

    private static float[] toFloat(double[] x) {
      float[] f = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        f[i] = (float) x[i];
      }
      return f;
    }
  }

  /** all.txt (sorted), the calendar and the commit marker of one dataset. */
  static final class WriteDatasetFn extends DoFn<KV<String, Iterable<String>>, String> {
    private final Map<String, QlibLayout> layouts;
    private final PCollectionView<Map<String, long[]>> calendarView;
    private final PCollectionView<Map<String, long[]>> priorView;
    private final PCollectionView<Map<String, Iterable<String>>> freshView;

    WriteDatasetFn(Map<String, QlibLayout> layouts, PCollectionView<Map<String, long[]>> calendarView,
        PCollectionView<Map<String, long[]>> priorView, PCollectionView<Map<String, Iterable<String>>> freshView) {
      this.layouts = layouts;
      this.calendarView = calendarView;
      this.priorView = priorView;
      this.freshView = freshView;
    }

    @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), anyStateDir(layouts));
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> spans, ProcessContext c) throws IOException {
      String dataset = spans.getKey();
      Dataset ds = Dataset.valueOf(dataset);
      QlibLayout layout = layouts.get(dataset);
      long[] calendar = c.sideInput(calendarView).get(dataset);
      long[] oldCal = c.sideInput(priorView).getOrDefault(dataset, new long[0]);
      boolean inPlace = inPlace(layout, oldCal, calendar, c.sideInput(freshView).get(dataset), ds);
      List<String> lines = new ArrayList<>();
      spans.getValue().forEach(lines::add);
      lines.sort(null);
      StringBuilder all = new StringBuilder();
      lines.forEach(l -> all.append(l).append('\n'));
      StringBuilder cal = new StringBuilder();
      for (long t : calendar) {
        cal.append(QlibBin.formatSlot(t, ds.isDaily())).append('\n');
      }
      String instruments = inPlace ? Staged.QLIB_INSTRUMENTS.in(layout.stateDir)
          : layout.nextDir + "/instruments/all.txt";
      String calendarFile = inPlace ? Staged.QLIB_CALENDAR.in(layout.stateDir)
          : layout.nextDir + "/calendars/" + ds.qlibFreq() + ".txt";
      AtomicFiles.writeString(AtomicFiles.resource(instruments), all.toString());
      AtomicFiles.writeString(AtomicFiles.resource(calendarFile), cal.toString());
      AtomicFiles.writeString(AtomicFiles.resource(Staged.QLIB_TARGET.in(layout.stateDir)),
          (inPlace ? QlibLayout.IN_PLACE + layout.liveDir : QlibLayout.NEW_VERSION + layout.nextDir) + "\n");
      c.output(layout.stateDir);
    }
  }
}
