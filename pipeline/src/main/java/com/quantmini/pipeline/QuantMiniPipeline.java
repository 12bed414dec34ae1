package com.quantmini.pipeline;

import com.quantmini.io.ListKeys;
import com.quantmini.io.ReadGzipCsv;
import com.quantmini.io.WriteDeadLetters;
import com.quantmini.io.WriteParquet;
import com.quantmini.io.WriteQlibBin;
import com.quantmini.options.QuantMiniOptions;
import com.quantmini.transforms.GroupBySymbol;
import com.quantmini.transforms.ParseBars;
import com.quantmini.transforms.TradingCalendar;
import com.quantmini.transforms.WindowedFeatures;
import com.quantmini.transforms.model.FeatureBlock;
import java.util.Set;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.DeadLetter;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The graph: ListKeys → ReadGzipCsv → ParseBars → WindowedFeatures → WriteParquet (bronze from
 * the parsed sessions, silver from the features) and → GroupBySymbol → WriteQlibBin; every step's
 * dead letters flattened into one quarantine sink. {@link #build} is the whole graph, so tests
 * apply exactly what production runs.
 */
public final class QuantMiniPipeline {
  private QuantMiniPipeline() {}

  /** What the graph produces, for callers that wait on or inspect it. */
  public static final class Outputs {
    public final PCollection<KV<String, String>> lake;
    public final PCollection<String> qlib;
    public final PCollection<String> quarantine;

    Outputs(PCollection<KV<String, String>> lake, PCollection<String> qlib, PCollection<String> quarantine) {
      this.lake = lake;
      this.qlib = qlib;
      this.quarantine = quarantine;
    }
  }

  public static Outputs build(Pipeline p, QuantMiniOptions o) {
    String input = absolute(o.getInput());
    String output = absolute(o.getOutput());
    PCollectionTuple read = p
        .apply("ListKeys", ListKeys.under(input, datasets(o), date(o.getFrom()), date(o.getTo())))
        .apply("ReadGzipCsv", ReadGzipCsv.create());
    PCollectionTuple parsed = read.get(ReadGzipCsv.CHUNKS).apply("ParseBars", ParseBars.create());
    PCollection<BarBlock> sessions = parsed.get(ParseBars.PARSED);

    PCollection<KV<String, long[]>> calendars = sessions.apply("TradingCalendar", TradingCalendar.ofBars());
    PCollection<FeatureBlock> features = sessions.apply("WindowedFeatures",
        WindowedFeatures.over(calendars, o.getSymbolBuckets(), o.getFeatures(), Set.copyOf(datasets(o))));

    PCollection<KV<String, String>> lake = PCollectionTuple.of(WriteParquet.SESSIONS, sessions)
        .and(WriteParquet.FEATURES, features)
        .apply("WriteParquet", WriteParquet.lake(output, o.getParquetRowGroupMb()));
    PCollection<String> qlib = features
        .apply("GroupBySymbol", GroupBySymbol.create())
        .apply("WriteQlibBin", WriteQlibBin.to(output + "/qlib", calendars).withUnderlyings(o.getQlibUnderlyings()));

    PCollection<String> quarantine = PCollectionList.<DeadLetter>of(read.get(ReadGzipCsv.FAILED))
        .and(parsed.get(ParseBars.FAILED))
        .apply("FlattenDeadLetters", Flatten.pCollections())
        .apply("WriteDeadLetters", WriteDeadLetters.to(output));
    return new Outputs(lake, qlib, quarantine);
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

  static LocalDate date(String iso) {
    if (iso == null || iso.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(iso.trim());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("expected a date as YYYY-MM-DD, got '" + iso + "'", e);
    }
  }

  /** Local paths become absolute (Beam's local filesystem wants them); URLs stay as they are. */
  static String absolute(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return p.contains("://") ? p : Paths.get(p).toAbsolutePath().normalize().toString();
  }
}
