package com.quantmini.pipeline;

import com.quantmini.io.ClearStaleQuarantine;
import com.quantmini.io.CommitRun;
import com.quantmini.io.CompactMonths;
import com.quantmini.io.ListKeys;
import com.quantmini.io.ReadGzipCsv;
import com.quantmini.io.RiskFreeRates;
import com.quantmini.io.RunPlan;
import com.quantmini.io.SaveCalendars;
import com.quantmini.io.SpillGroupByKey;
import com.quantmini.io.WriteDeadLetters;
import com.quantmini.io.WriteLedger;
import com.quantmini.io.WriteParquet;
import com.quantmini.io.WriteQlibBin;
import com.quantmini.io.WorkFolder;
import com.quantmini.options.QuantMiniOptions;
import com.quantmini.transforms.CalendarViews;
import com.quantmini.transforms.DiskSync;
import com.quantmini.transforms.DropProcessed;
import com.quantmini.transforms.FeatureMath;
import com.quantmini.transforms.GroupBySymbol;
import com.quantmini.transforms.ParseBars;
import com.quantmini.transforms.QlibFields;
import com.quantmini.transforms.RunCalendars;
import com.quantmini.transforms.WindowedFeatures;
import com.quantmini.transforms.features.OptionsModel;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.DeadLetter;
import com.quantmini.transforms.model.FeatureBlock;
import com.quantmini.transforms.model.LongArrayCoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The graph: ListKeys → DropProcessed (the manifest as a side input) → ReadGzipCsv → ParseBars →
 * WindowedFeatures → WriteParquet (bronze from the parsed sessions, silver from the features) and
 * → GroupBySymbol → WriteQlibBin, both reading the calendars RunCalendars builds once; every step's
 * dead letters flattened into one quarantine sink, and from the files read a ledger for the
 * manifest and ClearStaleQuarantine. {@link #build} is the whole graph, so tests
 * apply exactly what production runs; {@link RunPlan#commit()} publishes a successful run.
 */
public final class QuantMiniPipeline {
  private QuantMiniPipeline() {}

  /** Reads the output's manifests and prepares this run's folders (call before {@link #build}). */
  public static RunPlan plan(QuantMiniOptions o) throws IOException {
    RunPlan plan = RunPlan.prepare(absolute(o.getOutput()), datasets(o), o.getSymbolBuckets(), families(o),
        qlibFields(o));
    o.setSymbolBuckets(plan.symbolBuckets());
    return plan;
  }

  /** The whole graph, ending with the step that commits the run. */
  public static void build(Pipeline p, QuantMiniOptions o, RunPlan plan) {
    build(p, o, plan, true);
  }

  /** The graph; without {@code commit}, the caller commits (tests of a commit cut short). */
  public static void build(Pipeline p, QuantMiniOptions o, RunPlan plan, boolean commit) {
    try {
      build(p, o, plan, Adjusting.prepare(o, plan, System.getenv()), commit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The graph with the run's corporate actions ({@link Adjusting#prepare}, loaded once by the
   * launcher for every part of a run); stages them for the commit to keep in the lake.
   */
  public static void build(Pipeline p, QuantMiniOptions o, RunPlan plan, Adjusting adjusting, boolean commit) {
    String input = absolute(o.getInput());
    String output = absolute(o.getOutput());
    List<Dataset> datasets = datasets(o);
    Set<String> reprocess = new HashSet<>();
    for (String s : o.getReprocess()) {
      reprocess.add(date(s).toString());
    }
    // Sessions that late splits or dividends make this run redo, per dataset.
    reprocess.addAll(adjusting.reprocessKeys());
    try {
      adjusting.stage(plan, o.getTo());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PCollectionView<Map<String, String>> manifest = p
        .apply("ReadManifest", Create.of(plan.processed()).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("ManifestAsMap", View.asMap());
    PCollectionTuple read = p
        .apply("ListKeys", ListKeys.under(input, datasets, date(o.getFrom()), date(o.getTo()))
            .withChecksumCache(output + "/_cache"))
        .apply("DropProcessed", optionsFollowStocks(o, datasets)
            ? DropProcessed.against(manifest, reprocess).redoingOptionsOfNewStockSessions()
            : DropProcessed.against(manifest, reprocess))
        .apply("ReadGzipCsv", ReadGzipCsv.create());
    PCollectionTuple parsed = read.get(ReadGzipCsv.CHUNKS).apply("ParseBars", ParseBars.create());
    PCollection<BarBlock> sessions = parsed.get(ParseBars.PARSED);

    List<KV<String, long[]>> prior = new ArrayList<>();
    plan.priorCalendars().forEach((d, cal) -> prior.add(KV.of(d, cal)));
    PCollection<KV<String, long[]>> priorCalendars = p.apply("PriorCalendars",
        Create.of(prior).withCoder(KvCoder.of(StringUtf8Coder.of(), LongArrayCoder.of())));
    CalendarViews calendars = sessions.apply("RunCalendars", RunCalendars.extending(priorCalendars));
    // The Direct runner groups in memory at a cost per key, so its groups go through files in the
    // output's _work folder (measured: SpillGroupByKey); a cluster groups with its own shuffle and
    // needs no shared spill folder.
    boolean direct = DiskSync.inCommittingProcess(o);
    WindowedFeatures windowed = WindowedFeatures.over(calendars, plan.state(),
        plan.symbolBuckets(), families(o), Set.copyOf(datasets))
        .adjustingWith(adjusting.actions, adjusting.lateTickers())
        .withOptionsModel(optionsModel(o));
    PCollection<FeatureBlock> features = sessions.apply("WindowedFeatures",
        direct ? windowed.spilling(SpillGroupByKey.of(BarBlock.BlockCoder.of(), WorkFolder.in(plan.workDir(), "buckets")),
            WorkFolder.in(plan.workDir(), "features")) : windowed);
    PCollection<String> savedCalendars = p.apply("SaveCalendars", SaveCalendars.of(calendars, plan.state()));

    WriteParquet writeLake = WriteParquet.lake(output, o.getParquetRowGroupMb());
    PCollection<KV<String, String>> lake = PCollectionTuple.of(WriteParquet.SESSIONS, sessions)
        .and(WriteParquet.FEATURES, features)
        .apply("WriteParquet", direct ? writeLake.spillingTo(WorkFolder.in(plan.workDir(), "silver")) : writeLake);
    // Qlib is one output among others: with --qlibFields=none for every dataset the graph has no Qlib branch.
    PCollection<String> qlib = plan.qlibFields().values().stream().noneMatch(QlibFields::writesQlib)
        ? p.apply("NoQlib", Create.empty(StringUtf8Coder.of()))
        : features
            .apply("GroupBySymbol", GroupBySymbol.create())
            .apply("WriteQlibBin", WriteQlibBin.to(calendars, plan.layouts())
                .withUnderlyings(o.getQlibUnderlyings()).withFields(plan.qlibFields()));

    PCollection<String> quarantine = PCollectionList.<DeadLetter>of(read.get(ReadGzipCsv.FAILED))
        .and(parsed.get(ParseBars.FAILED))
        .apply("FlattenDeadLetters", Flatten.pCollections())
        .apply("WriteDeadLetters", WriteDeadLetters.to(output));
    PCollection<String> ledger = parsed.get(ParseBars.FILES).apply("WriteLedger", WriteLedger.to(plan.layouts()));
    PCollection<String> cleared = parsed.get(ParseBars.FILES)
        .apply("ClearStaleQuarantine", ClearStaleQuarantine.in(output));
    if (commit) {
      PCollection<String> committed = PCollectionTuple.of("Calendars", savedCalendars).and("Lake", lake)
          .and("Qlib", qlib).and("Quarantine", quarantine).and("Ledger", ledger).and("ClearedQuarantine", cleared)
          .apply("CommitRun", CommitRun.of(plan));
      if (o.getCompactMonths()) {
        committed.apply("CompactMonths", CompactMonths.in(output));
      }
    }
  }

  /** The options analytics' rates (--riskFreeRate, --riskFreeRates) and dividend yield. */
  static OptionsModel optionsModel(QuantMiniOptions o) {
    try {
      String file = o.getRiskFreeRates();
      return new OptionsModel(o.getRiskFreeRate(),
          file == null || file.isBlank() ? Map.of() : RiskFreeRates.load(absolute(file)),
          o.getDividendYield());
    } catch (IOException e) {
      throw new IllegalArgumentException("--riskFreeRates: " + e.getMessage(), e);
    }
  }

  static List<Dataset> datasets(QuantMiniOptions o) {
    List<Dataset> out = new ArrayList<>();
    for (String name : o.getDatasets()) {
      Dataset d = Dataset.parse(name);
      if (!out.contains(d)) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * Options' moneyness divides by the underlying's stocks_daily close of the session: when both
   * run together with the seed features, a republished or back-filled stocks day redoes the options
   * of that day too.
   */
  static boolean optionsFollowStocks(QuantMiniOptions o, List<Dataset> datasets) {
    return FeatureMath.seed(families(o))
        && (datasets.contains(Dataset.stocks_daily) || datasets.contains(Dataset.stocks_minute))
        && datasets.stream().anyMatch(Dataset::isOptions);
  }

    /** Feature families asked for; {@code --features=} (empty) means none. */
  static List<String> families(QuantMiniOptions o) {
    List<String> out = new ArrayList<>();
    for (String f : o.getFeatures()) {
      if (!f.isBlank()) {
        out.add(f.trim());
      }
    }
    return out;
  }

  /**
   * {@code --qlibFields} (null when unset); a list may name only features the run computes for
   * one of its datasets.
   */
  static QlibFields qlibFields(QuantMiniOptions o) {
    QlibFields asked = QlibFields.parse(o.getQlibFields());
    if (asked != null && !asked.listed().isEmpty()) {
      Set<String> known = new TreeSet<>();
      for (Dataset d : datasets(o)) {
        for (String n : FeatureMath.floatNames(d, families(o))) {
          known.add(n.toLowerCase(Locale.ROOT));
        }
        for (String n : FeatureMath.doubleNames(d, families(o))) {
          known.add(n.toLowerCase(Locale.ROOT));
        }
      }
      Set<String> unknown = new TreeSet<>(asked.listed());
      unknown.removeAll(known);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("--qlibFields names " + unknown + ", which this run does not compute; "
            + "known: " + known);
      }
    }
    return asked;
  }

  static LocalDate date(String iso) {
    if (iso == null || iso.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(iso.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expected a date as YYYY-MM-DD, got '" + iso + "'", e);
    }
  }

  /** Local paths become absolute (Beam's local filesystem wants them); URLs stay as they are. */
  static String absolute(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return p.contains("://") ? p : Paths.get(p).toAbsolutePath().normalize().toString();
  }
}
