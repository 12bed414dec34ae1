package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.BucketKey;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.FeatureBlock;
import com.quantmini.transforms.model.LongArrayCoder;
import com.quantmini.transforms.model.SeriesState;
import com.quantmini.transforms.model.StateStore;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * The features step against a state store kept in memory (no file system): what it saves per
 * bucket, and that a second run reading those tails gives an appended session the values of a
 * single run over all sessions.
 */
class WindowedFeaturesStateTest {
  /** Committed and saved state per test store; static because the runner serializes the DoFns. */
  static final Map<String, Map<String, Object>> STORES = new ConcurrentHashMap<>();

  /** A store in memory: reads the committed map, saves to the saved map; {@link #commit} moves one to the other. */
  static final class MemoryStore implements StateStore {
    final String id = UUID.randomUUID().toString();

    MemoryStore() {
      STORES.put(id + "/committed", new ConcurrentHashMap<>());
      STORES.put(id + "/saved", new ConcurrentHashMap<>());
    }

    Map<String, Object> committed() {
      return STORES.get(id + "/committed");
    }

    Map<String, Object> saved() {
      return STORES.get(id + "/saved");
    }

    void commit() {
      committed().clear();
      committed().putAll(saved());
      saved().clear();
    }

    @SuppressWarnings("unchecked")
    @Override
    public List<SeriesState.Entry> tails(BucketKey bucket) throws IOException {
      byte[] b = (byte[]) committed().get("tails/" + bucket);
      return b == null ? List.of() : SeriesState.decode(b);
    }

    @Override
    public boolean keepsHistory(Dataset dataset) {
      return false; // this test's changes are appends, which never need the history
    }

    @Override
    public List<SeriesState.Entry> history(BucketKey bucket, long[] priorCalendar) {
      throw new IllegalStateException("no history here");
    }

    @Override
    public void saveSegment(BucketKey bucket, byte[] segment) {
      throw new IllegalStateException("no history here");
    }

    @Override
    public void saveTails(BucketKey bucket, List<SeriesState.Entry> tails) throws IOException {
      saved().put("tails/" + bucket, SeriesState.encode(tails)); // encoded: what a file would hold
    }

    @Override
    public void saveCalendar(Dataset dataset, long[] calendar) {
      saved().put("calendar/" + dataset, calendar);
    }

    @Override
    public String syncPath() {
      return null;
    }
  }

  static final List<String> SESSIONS = List.of("2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05",
      "2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11");

  static BarBlock day(int k) {
    BarBlock.Builder b = BarBlock.builder("stocks_daily", "k/" + SESSIONS.get(k), SESSIONS.get(k), 3);
    String[] tickers = {"AAPL", "MSFT", "XOM"};
    for (int t = 0; t < tickers.length; t++) {
      double c = 10 + t * 7 + Math.sin(k + t) * 2;
      long windowStart = LocalDate.parse(SESSIONS.get(k)).toEpochDay() * 86_400_000_000_000L; // a bar's time (ns)
      b.add(tickers[t], windowStart, c - 0.5, c + 1, c - 1, c, 1000 + 37 * k + t, 10 + k, 1);
    }
    return b.build();
  }

  /** Runs the features over sessions {@code [from, to)} with the store; returns every computed value by ticker, slot and column. */
  static Map<String, Double> run(MemoryStore store, int from, int to, long[] prior) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create()); // two runs in one test: no TestPipeline rule
    List<BarBlock> days = new ArrayList<>();
    for (int k = from; k < to; k++) {
      days.add(day(k));
    }
    PCollection<BarBlock> in = p.apply("Days", Create.of(days).withCoder(BarBlock.BlockCoder.of()));
    List<KV<String, long[]>> priorCal = prior == null ? List.of() : List.of(KV.of("stocks_daily", prior));
    CalendarViews views = in.apply(RunCalendars.extending(p.apply("Prior",
        Create.of(priorCal).withCoder(KvCoder.of(StringUtf8Coder.of(), LongArrayCoder.of())))));
    in.apply(WindowedFeatures.over(views, store, 2, List.of("seed"), Set.of(Dataset.stocks_daily)))
        .apply(ParDo.of(new CollectFn(store.id)));
    p.run().waitUntilFinish();
    @SuppressWarnings("unchecked")
    Map<String, Double> out = new TreeMap<>((Map<String, Double>) (Map<?, ?>) STORES.get(store.id + "/saved"));
    out.keySet().removeIf(k -> !k.startsWith("value/"));
    return out;
  }

  static int columns() {
    return FeatureMath.doubleNames(Dataset.stocks_daily, List.of("seed")).size();
  }

  /** Records every computed slot's seed values into the store's saved map. */
  static final class CollectFn extends DoFn<FeatureBlock, Void> {
    final String id;

    CollectFn(String id) {
      this.id = id;
    }

    @ProcessElement
    public void process(@Element FeatureBlock block) {
      for (FeatureBlock.Symbol s : block.symbols()) {
        if (!s.computed) {
          continue;
        }
        for (int k = 0; k < s.series.length(); k++) {
          for (int col = 0; col < s.doubles.length; col++) {
            STORES.get(id + "/saved").put("value/" + s.series.ticker + "/" + (s.series.start + k) + "/"
                + block.doubleNames().get(col), s.doubles[col][k]);
          }
        }
      }
    }
  }

  @Test
  void savesEachBucketsTailsAndTheNextRunContinuesFromThem() throws IOException {
    MemoryStore whole = new MemoryStore();
    Map<String, Double> all = run(whole, 0, SESSIONS.size(), null);

    MemoryStore parts = new MemoryStore();
    run(parts, 0, 6, null);
    // Both buckets saved (the features step saves; no writer is in this graph), every symbol once.
    Map<String, Integer> symbols = new HashMap<>();
    for (int b = 0; b < 2; b++) {
      for (SeriesState.Entry e : SeriesState.decode((byte[]) parts.saved().get("tails/stocks_daily/" + b))) {
        symbols.merge(e.tail.ticker, 1, Integer::sum);
        assertThat(e.tail.end(), is(5));
        assertThat(e.origin, is(0));
      }
    }
    assertThat(symbols, is(Map.of("AAPL", 1, "MSFT", 1, "XOM", 1)));
    parts.commit();
    Map<String, Double> appended = run(parts, 6, SESSIONS.size(), firstSix());
    // The two appended sessions (slots 6 and 7) of the three symbols equal the single run's values,
    // every seed column (windows and the carried EMA and Wilder states alike).
    assertThat(appended.size(), is(2 * 3 * columns()));
    List<String> differ = new ArrayList<>();
    appended.forEach((k, v) -> {
      if (!v.equals(all.get(k))) {
        differ.add(k + "=" + v + " vs " + all.get(k));
      }
    });
    assertThat(differ.toString(), differ.isEmpty(), is(true));
  }

  /** The calendar of the first six sessions (SaveCalendars is io's; this graph has none). */
  static long[] firstSix() {
    long[] c = new long[6];
    for (int k = 0; k < 6; k++) {
      c[k] = LocalDate.parse(SESSIONS.get(k)).toEpochDay();
    }
    return c;
  }
}
