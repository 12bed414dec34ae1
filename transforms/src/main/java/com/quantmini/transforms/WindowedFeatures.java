package com.quantmini.transforms;

import com.quantmini.transforms.adjust.CorporateActions;
import com.quantmini.transforms.features.FeatureRegistry;
import com.quantmini.transforms.features.OptionsModel;
import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.BlockStore;
import com.quantmini.transforms.model.BucketKey;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.FeatureBlock;
import com.quantmini.transforms.model.SeriesHistory;
import com.quantmini.transforms.model.SeriesState;
import com.quantmini.transforms.model.StateStore;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Computes every symbol's features on the dataset's calendar (a missing session is a NaN slot, as
 * in Qlib): over the whole series on a first run, later over the remembered tail and the fresh bars,
 * continuing the remembered carry (see {@link SeriesState}). Session blocks are cut into slices
 * by a hash bucket of the instrument (of the underlying for options, so a chain stays together)
 * and grouped per dataset and bucket: many symbols per element, few keys. For options, stocks_daily closes of the same
 * buckets join the group so moneyness can use the underlying's close of the same session.
 * Emits one {@link FeatureBlock} per bucket.
 */
public final class WindowedFeatures extends PTransform<PCollection<BarBlock>, PCollection<FeatureBlock>> {

  private final CalendarViews views;
  private final StateStore store;
  private final int buckets;
  private final List<String> families;
  private final Set<Dataset> datasets;
  /** Groups the slices by bucket: GroupByKey when null. */
  private final PTransform<PCollection<KV<String, BarBlock>>, PCollection<KV<String, Iterable<BarBlock>>>> grouping;
  /** Where each bucket's block goes, its handle emitted instead; null: emitted whole. */
  private final BlockStore blocks;
  private final CorporateActions actions;
  private final Map<String, Map<String, Long>> late;
  private final OptionsModel optionsModel;

  private WindowedFeatures(CalendarViews views, StateStore store, int buckets,
      List<String> families, Set<Dataset> datasets,
      PTransform<PCollection<KV<String, BarBlock>>, PCollection<KV<String, Iterable<BarBlock>>>> grouping,
      BlockStore blocks,
      CorporateActions actions, Map<String, Map<String, Long>> late, OptionsModel optionsModel) {
    this.actions = actions;
    this.late = late;
    this.optionsModel = optionsModel;
    this.grouping = grouping;
    this.blocks = blocks;
    this.views = views;
    this.store = store;
    this.buckets = buckets;
    this.families = families;
    this.datasets = datasets;
  }

  /**
   * @param views each dataset's calendar after and before this run, and its fresh sessions ({@link RunCalendars})
   * @param store the state earlier runs left (tails, history), where this run saves its own
   * @param families "alpha158" and/or "seed"
   * @param datasets the datasets of this run (decides where stock closes are needed)
   */
  public static WindowedFeatures over(CalendarViews views, StateStore store, int buckets,
      List<String> families, Set<Dataset> datasets) {
    Checks.checkArgument(buckets >= 1 && buckets <= 4096, "buckets must be in 1..4096, was %s", buckets);
    for (String f : families) {
      Checks.checkArgument(f.equals("alpha158") || f.equals("seed"),
          "unknown feature family '%s', expected alpha158 or seed", f);
    }
    return new WindowedFeatures(views, store, buckets,
        List.copyOf(families), Set.copyOf(datasets), null, null, CorporateActions.none(), Map.of(),
        OptionsModel.defaults());
  }

  /**
   * Adjusts stock prices with these splits and dividends (none: every factor is 1). {@code late}:
   * dataset → ticker → epoch day of its earliest event that changed after its files were written;
   * such a symbol's files change from that day on (the launcher makes the run redo those sessions).
   */
  public WindowedFeatures adjustingWith(CorporateActions events, Map<String, Map<String, Long>> late) {
    Map<String, Map<String, Long>> copy = new HashMap<>();
    late.forEach((d, t) -> copy.put(d, new HashMap<>(t)));
    return new WindowedFeatures(views, store, buckets, families, datasets, grouping, blocks, events, copy, optionsModel);
  }

  /** The risk-free rates and dividend yield of the options analytics (implied volatility, Greeks). */
  public WindowedFeatures withOptionsModel(OptionsModel model) {
    return new WindowedFeatures(views, store, buckets, families, datasets, grouping, blocks, actions, late, model);
  }

  /**
   * Groups the slices with {@code grouping} instead of a GroupByKey, and puts each bucket's feature
   * block in {@code blocks}, emitting its handle: the Direct runner's way (io's SpillGroupByKey and
   * WorkFolder), so a session's features are on the heap a bucket at a time.
   */
  public WindowedFeatures spilling(
      PTransform<PCollection<KV<String, BarBlock>>, PCollection<KV<String, Iterable<BarBlock>>>> grouping,
      BlockStore blocks) {
    return new WindowedFeatures(views, store, buckets, families, datasets, grouping, blocks, actions, late,
        optionsModel);
  }

  /** Key of the group a bar belongs to: {@code <dataset>/<bucket>}. */
  public static String bucketKey(Dataset dataset, String ticker, int buckets) {
    String basis = ticker;
    if (dataset.isOptions()) {
      OptionsTicker t = OptionsTicker.parse(ticker);
      basis = t == null ? ticker : t.underlying();
    }
    return new BucketKey(dataset, Math.floorMod(basis.hashCode(), buckets)).toString();
  }

  @Override
  public PCollection<FeatureBlock> expand(PCollection<BarBlock> sessions) {
    // Options buckets also get their underlyings' bars: stocks_daily closes (moneyness, daily S)
    // and stocks_minute closes (minute S).
    Map<Dataset, List<Dataset>> optionTargets = new HashMap<>();
    if (FeatureMath.seed(families)) {
      if (datasets.contains(Dataset.stocks_daily)) {
        optionTargets.put(Dataset.stocks_daily, datasets.stream().filter(Dataset::isOptions).sorted()
            .collect(Collectors.toList()));
      }
      if (datasets.contains(Dataset.stocks_minute) && datasets.contains(Dataset.options_minute)) {
        optionTargets.put(Dataset.stocks_minute, List.of(Dataset.options_minute));
      }
    }
    KvCoder<String, BarBlock> sliceCoder = KvCoder.of(StringUtf8Coder.of(), BarBlock.BlockCoder.of());
    // Every bucket of every dataset gets an element, so remembered symbols that trade in none of
    // the fresh sessions still reach the next state and the Qlib writer.
    List<KV<String, BarBlock>> seeds = new ArrayList<>();
    for (Dataset d : datasets) {
      for (int b = 0; b < buckets; b++) {
        seeds.add(KV.of(new BucketKey(d, b).toString(), BarBlock.builder(d.name(), "", "1970-01-01", 1).build()));
      }
    }
    PCollection<KV<String, BarBlock>> everyBucket =
        sessions.getPipeline().apply("EveryBucket", Create.of(seeds).withCoder(sliceCoder));
    PCollection<KV<String, BarBlock>> slices = sessions
        .apply("SliceByBucket", ParDo.of(new SliceFn(buckets, optionTargets))).setCoder(sliceCoder);
    PCollection<KV<String, BarBlock>> all = PCollectionList.of(slices).and(everyBucket)
        .apply("WithEveryBucket", Flatten.pCollections());
    PCollection<KV<String, Iterable<BarBlock>>> grouped = grouping == null
        ? all.apply("GroupBuckets", ShardedGroupByKey.create())
        : all.apply("GroupBuckets", grouping);
    return grouped
        .apply("ComputeFeatures", ParDo.of(new ComputeFn(views.calendars(), views.prior(), views.fresh(), store,
            families, actions, late, optionsModel, blocks))
            .withSideInputs(views.calendars(), views.prior(), views.fresh()))
        .setCoder(FeatureBlock.FeatureBlockCoder.of());
  }

  /** Cuts a session block into one slice per bucket; stock closes also go to the option buckets. */
  static final class SliceFn extends DoFn<BarBlock, KV<String, BarBlock>> {
    private final int buckets;
    private final Map<Dataset, List<Dataset>> optionTargets;

    SliceFn(int buckets, Map<Dataset, List<Dataset>> optionTargets) {
      this.buckets = buckets;
      this.optionTargets = optionTargets;
    }

    @ProcessElement
    public void process(@Element BarBlock block, OutputReceiver<KV<String, BarBlock>> out) {
      Dataset ds = block.datasetEnum();
      slice(block, ds, out);
      for (Dataset target : optionTargets.getOrDefault(ds, List.of())) {
        slice(block, target, out);
      }
    }

    private void slice(BarBlock block, Dataset keyDataset, OutputReceiver<KV<String, BarBlock>> out) {
      Map<String, BarBlock.Builder> slices = new HashMap<>();
      String prevTicker = null;
      BarBlock.Builder prev = null;
      for (int i = 0; i < block.size(); i++) {
        String t = block.ticker(i);
        if (!t.equals(prevTicker)) {
          prevTicker = t;
          String key = bucketKey(block.datasetEnum() == keyDataset ? keyDataset : Dataset.stocks_daily, t, buckets);
          String target = BucketKey.parse(key).in(keyDataset).toString();
          prev = slices.computeIfAbsent(target,
              k -> BarBlock.builder(block.dataset(), block.source(), block.session(), 256));
        }
        prev.add(block, i);
      }
      slices.forEach((k, b) -> out.output(KV.of(k, b.build())));
    }
  }

  static final class ComputeFn extends DoFn<KV<String, Iterable<BarBlock>>, FeatureBlock> {
    private final Counter symbols = Metrics.counter(WindowedFeatures.class, "symbolsComputed");
    private final Counter values = Metrics.counter(WindowedFeatures.class, "featureValues");
    private final Distribution millis = Metrics.distribution(WindowedFeatures.class, "bucketMillis");
    private final Counter historyReplays = Metrics.counter(WindowedFeatures.class, "historyReplays");
    private final PCollectionView<Map<String, long[]>> calendarView;
    private final PCollectionView<Map<String, long[]>> priorView;
    private final PCollectionView<Map<String, Iterable<String>>> freshView;
    private final StateStore store;
    private final List<String> families;
    private final CorporateActions actions;
    private final Map<String, Map<String, Long>> late;
    private final OptionsModel optionsModel;
    private final Counter dividendsSkipped = Metrics.counter(WindowedFeatures.class, "dividendsSkipped");
    /** Where each bucket's block is stored, its handle emitted instead (null: emitted whole). */
    private final BlockStore blocks;

    ComputeFn(PCollectionView<Map<String, long[]>> calendarView, PCollectionView<Map<String, long[]>> priorView,
        PCollectionView<Map<String, Iterable<String>>> freshView, StateStore store,
        List<String> families, CorporateActions actions,
        Map<String, Map<String, Long>> late, OptionsModel optionsModel, BlockStore blocks) {
      this.blocks = blocks;
      this.actions = actions;
      this.late = late;
      this.optionsModel = optionsModel;
      this.calendarView = calendarView;
      this.priorView = priorView;
      this.freshView = freshView;
      this.store = store;
      this.families = families;
    }

    @FinishBundle
    public void syncWritten(FinishBundleContext c) {
      DiskSync.afterBundle(c.getPipelineOptions(), store.syncPath());
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<BarBlock>> bucket, ProcessContext c) throws IOException {
      long t0 = System.nanoTime();
      BucketKey key = BucketKey.parse(bucket.getKey());
      Dataset ds = key.dataset();
      String dsName = ds.name();
      Iterable<String> freshList = c.sideInput(freshView).get(dsName);
      if (freshList == null) {
        return; // nothing new for this dataset: its files and state stay as they are
      }
      TreeSet<String> fresh = new TreeSet<>();
      freshList.forEach(fresh::add);
      long[] calendar = c.sideInput(calendarView).get(dsName);
      long[] oldCalendar = c.sideInput(priorView).getOrDefault(dsName, new long[0]);
      List<BarBlock> own = new ArrayList<>();
      Map<String, Map<Long, Double>> closes = new HashMap<>(); // stocks_daily: root → epoch day → close
      Map<String, Map<Long, Double>> minuteCloses = new HashMap<>(); // stocks_minute: root → bar time (ns) → close
      for (BarBlock b : bucket.getValue()) {
        if (b.dataset().equals(dsName)) {
          own.add(b);
        } else if (b.datasetEnum() == Dataset.stocks_minute) {
          for (int i = 0; i < b.size(); i++) {
            minuteCloses.computeIfAbsent(b.ticker(i), k -> new HashMap<>()).put(b.windowStart(i), b.close(i));
          }
        } else {
          long day = LocalDate.parse(b.session()).toEpochDay();
          for (int i = 0; i < b.size(); i++) {
            closes.computeIfAbsent(b.ticker(i), k -> new HashMap<>()).put(day, b.close(i));
          }
        }
      }
      List<SeriesState.Entry> old = store.tails(key);
      // Minute data keeps no history: a symbol that needs more than its tail stops the run (symbol()).
      // History before a symbol's first changed slot that its features are recomputed from.
      int lookback = FeatureRegistry.of(ds, families).lookback();
      boolean replay = ds.isDaily() && needsHistory(old, fresh, oldCalendar, calendar, true, lookback);
      if (replay) {
        old = store.history(key, oldCalendar);
        historyReplays.inc();
      }
      int rewriteFrom = rewriteFrom(fresh, oldCalendar, calendar, ds.isDaily());
      if (ds.isOptions() && FeatureMath.seed(families)) {
        // Options recomputed over old sessions (anything but an append) need underlying closes
        // older than the stock tails may reach.
        addRememberedCloses(closes, key, c.sideInput(priorView).get(Dataset.stocks_daily.name()),
            replay || rewriteFrom < calendar.length);
        if (ds == Dataset.options_minute && rewriteFrom < calendar.length) {
          addRememberedMinuteCloses(minuteCloses, key, c.sideInput(priorView).get(Dataset.stocks_minute.name()));
        }
      }
      FeatureMath.Underlyings underlyings = new FeatureMath.Underlyings(closes, minuteCloses, optionsModel);
      List<String> silverSessions = new ArrayList<>(fresh);
      for (int k = rewriteFrom; k < calendar.length; k++) {
        silverSessions.add(SeriesMerge.session(calendar[k], ds.isDaily()));
      }
      // Minute state also keeps the last session whole, with a window before it, so that session
      // can be republished.
      int keepFrom = ds.isDaily() ? Integer.MAX_VALUE : lastSessionStart(calendar) - lookback;
      List<SeriesMerge.Merged> merged = SeriesMerge.merge(old, oldCalendar, own, calendar, ds, fresh);
      Map<String, Long> lateTickers = late.getOrDefault(dsName, Map.of());
      if (!lateTickers.isEmpty()) {
        for (int i = 0; i < merged.size(); i++) {
          Long day = lateTickers.get(merged.get(i).known.ticker);
          if (day != null) {
            merged.set(i, merged.get(i).changingFrom(firstSlotOn(calendar, day, ds.isDaily())));
          }
        }
      }
      List<FeatureBlock.Symbol> out = new ArrayList<>();
      // Events of tickers with bars in this dataset: the summary reports the others.
      Counter matched = Metrics.counter(WindowedFeatures.class, "corporateActionsMatched_" + dsName);
      Metrics.counter(WindowedFeatures.class, "bucketsComputed_" + dsName).inc();
      for (SeriesMerge.Merged m : merged) {
        out.add(symbol(m, ds, calendar, underlyings, rewriteFrom, keepFrom));
        if (FeatureMath.adjusted(ds)) {
          matched.inc(actions.of(m.known.ticker).size());
        }
      }
      if (store.keepsHistory(ds)) {
        // While every remembered tail is a whole series (a young lake, or state from before the
        // history was kept) the segment holds all of it, so the segments always add up to the history.
        store.saveSegment(key, segment(fresh, merged, calendar, old.stream().allMatch(SeriesState.Entry::whole)));
      }
      List<SeriesState.Entry> tails = new ArrayList<>(out.size());
      for (FeatureBlock.Symbol sym : out) {
        tails.add(new SeriesState.Entry(sym.origin, sym.state, sym.stateCarry));
      }
      store.saveTails(key, tails);
      symbols.inc(out.size());
      FeatureBlock block = new FeatureBlock(dsName, key.toString(), FeatureMath.floatNames(ds, families),
          FeatureMath.doubleNames(ds, families), out, new ArrayList<>(new TreeSet<>(silverSessions)));
      c.output(blocks == null ? block : blocks.store(block));
      millis.update((System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Adds the underlying closes earlier runs remembered (the stocks_daily state of the same bucket
     * number: both datasets bucket by the underlying), so a contract recomputed over old sessions
     * gets the moneyness a full run gives; closes of this run's sessions take precedence. With
     * {@code oldSessions} the closes come from the stocks history when the tails do not reach back.
     */
    private void addRememberedCloses(Map<String, Map<Long, Double>> closes, BucketKey key, long[] stockCalendar,
        boolean oldSessions) throws IOException {
      if (stockCalendar == null) {
        return; // stocks_daily is not part of this run, or has no state yet
      }
      BucketKey stockKey = key.in(Dataset.stocks_daily);
      List<SeriesState.Entry> stocks = store.tails(stockKey);
      if (oldSessions && !stocks.stream().allMatch(SeriesState.Entry::whole)) {
        stocks = store.history(stockKey, stockCalendar);
      }
      for (SeriesState.Entry e : stocks) {
        SymbolSeries s = e.tail;
        Map<Long, Double> byDay = closes.computeIfAbsent(s.ticker, k -> new HashMap<>());
        for (int k = 0; k < s.length(); k++) {
          if (!Double.isNaN(s.close[k])) {
            byDay.putIfAbsent(stockCalendar[s.start + k], s.close[k]);
          }
        }
      }
    }

    /**
     * Adds the stocks_minute closes earlier runs remembered (its state keeps the last session
     * whole), so an options_minute session done again gets the underlying minute closes a full run
     * gives; closes of this run take precedence.
     */
    private void addRememberedMinuteCloses(Map<String, Map<Long, Double>> minuteCloses, BucketKey key,
        long[] stockCalendar) throws IOException {
      if (stockCalendar == null) {
        return; // stocks_minute is not part of this run, or has no state yet
      }
      for (SeriesState.Entry e : store.tails(key.in(Dataset.stocks_minute))) {
        SymbolSeries s = e.tail;
        Map<Long, Double> byTime = minuteCloses.computeIfAbsent(s.ticker, k -> new HashMap<>());
        for (int k = 0; k < s.length(); k++) {
          if (s.hasBar(k)) {
            byTime.putIfAbsent(s.windowStart[k], s.close[k]);
          }
        }
      }
    }

    /**
     * Whether some remembered tail is too short for this run: a fresh session or an inserted slot
     * (first at {@code f} on the old calendar) within a tail's look-back window or before it, on a
     * symbol whose tail does not reach back to its first bar. Appends never need more.
     */
    static boolean needsHistory(List<SeriesState.Entry> old, SortedSet<String> fresh, long[] oldCalendar,
        long[] calendar, boolean daily, int lookback) {
      if (fresh.isEmpty()) {
        return false;
      }
      // The earliest fresh session is either on the old calendar (first old slot of a session not
      // before it) or inserted there; a later fresh one cannot come first. Binary search: calendars
      // of years of minutes are long.
      String first = fresh.first();
      int lo = 0;
      int hi = oldCalendar.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (SeriesMerge.session(oldCalendar[mid], daily).compareTo(first) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      int f = Math.min(lo, SeriesMerge.firstInsertion(oldCalendar, calendar));
      if (f >= oldCalendar.length) {
        return false;
      }
      for (SeriesState.Entry e : old) {
        if (!e.whole() && f <= e.tail.end() && f < e.tail.start + lookback) {
          return true;
        }
      }
      return false;
    }

    /** This run's segment of a daily bucket: the bars of its fresh sessions, after the merge. */
    private static byte[] segment(Set<String> fresh, List<SeriesMerge.Merged> merged, long[] calendar, boolean all)
        throws IOException {
      boolean[] freshSlot = new boolean[calendar.length];
      Set<String> sessions = all ? new TreeSet<>() : fresh;
      for (int k = 0; k < calendar.length; k++) {
        String session = SeriesMerge.session(calendar[k], true);
        freshSlot[k] = all || fresh.contains(session);
        if (all) {
          sessions.add(session);
        }
      }
      List<SeriesHistory.Bars> bars = new ArrayList<>();
      for (SeriesMerge.Merged m : merged) {
        SeriesHistory.Bars b = SeriesHistory.Bars.of(m.known, calendar, freshSlot);
        if (b != null) {
          bars.add(b);
        }
      }
      return SeriesHistory.encode(new ArrayList<>(sessions), bars);
    }

    /** First slot of the calendar on or after an epoch day's session; the calendar's length when none is. */
    static int firstSlotOn(long[] calendar, long day, boolean daily) {
      int lo = 0;
      int hi = calendar.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if ((daily ? calendar[mid] : FeatureMath.nyDay(calendar[mid])) < day) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    /** First slot of the calendar's last New York session (minute calendars). */
    static int lastSessionStart(long[] calendar) {
      int k = calendar.length - 1;
      if (k < 0) {
        return 0;
      }
      long day = FeatureMath.nyDay(calendar[k]);
      while (k > 0 && FeatureMath.nyDay(calendar[k - 1]) == day) {
        k--;
      }
      return k;
    }

    /**
     * First calendar slot whose silver rows this run rewrites beyond its fresh sessions: when a
     * fresh session is not after the old calendar's end (republished or back-filled), the features
     * of every later session may change, and a silver file holds all symbols of its session.
     * {@code calendar.length} when the run only appends.
     */
    static int rewriteFrom(Set<String> fresh, long[] oldCalendar, long[] calendar, boolean daily) {
      if (fresh.isEmpty() || oldCalendar.length == 0) {
        return calendar.length;
      }
      String first = fresh.iterator().next(); // fresh is sorted
      if (first.compareTo(SeriesMerge.session(oldCalendar[oldCalendar.length - 1], daily)) > 0) {
        return calendar.length;
      }
      int k = 0;
      while (k < calendar.length && SeriesMerge.session(calendar[k], daily).compareTo(first) < 0) {
        k++;
      }
      return k;
    }

    private FeatureBlock.Symbol symbol(SeriesMerge.Merged m, Dataset ds, long[] calendar,
        FeatureMath.Underlyings underlyings, int rewriteFrom, int keepFrom) {
      SymbolSeries known = m.known;
      int lookback = FeatureRegistry.of(ds, families).lookback();
      // The next run remembers the last TAIL slots and the features' carry before them.
      int keep = Math.max(known.start, Math.min(known.end() - SeriesState.TAIL + 1, keepFrom));
      // An unchanged symbol with bars in rewritten sessions needs its (unchanged) rows again.
      int firstNeeded = m.changedFrom != SeriesMerge.UNCHANGED ? m.changedFrom
          : rewriteFrom <= known.end() ? Math.max(rewriteFrom, m.origin) : SeriesMerge.UNCHANGED;
      if (firstNeeded == SeriesMerge.UNCHANGED && keep == known.start) {
        return new FeatureBlock.Symbol(known, new float[0][], new double[0][], m.origin, m.changedFrom,
            m.oldOrigin, known, m.carry, false);
      }
      // Qlib needs the slots from firstNeeded on, silver every row of the sessions it rewrites: from
      // the first rewritten session, which comes before a changed symbol's first change when an old
      // session is redone in the same run as a new one (UNCHANGED when neither is).
      int silverFrom = rewriteFrom <= known.end() ? Math.max(rewriteFrom, m.origin) : SeriesMerge.UNCHANGED;
      int firstWritten = Math.min(firstNeeded, silverFrom);
      // Features run from the first known slot, continuing the carry remembered there; every
      // value written needs the set's look-back before it unless the series starts at its first bar.
      if (m.completeFrom == Integer.MAX_VALUE || (firstNeeded != SeriesMerge.UNCHANGED && !m.fullyKnown()
          && firstWritten - lookback < known.start)) {
        throw new IllegalStateException(String.format(
            "%s: %s changes from slot %d but only slots from %d are remembered; a minute session older than "
                + "the last one cannot be replayed incrementally, rebuild the dataset into a new output",
            ds, known.ticker, firstWritten, known.start));
      }
      int n = known.length();
      // Slots before firstWritten are neither written to Qlib nor to silver: Alpha158 (a 61-slot
      // window, no carry) needs only the look-back of them.
      int alphaFrom = firstNeeded == SeriesMerge.UNCHANGED ? n - 1 : Math.max(0, firstWritten - lookback - known.start);
      int alphaFirst = firstNeeded == SeriesMerge.UNCHANGED ? n - 1 : Math.max(0, firstWritten - known.start);
      FeatureMath.Columns cols = FeatureMath.compute(known, ds, calendar, families, underlyings, alphaFrom, alphaFirst,
          m.carry, keep - known.start, FeatureMath.adjusted(ds) ? actions.of(known.ticker) : List.of());
      dividendsSkipped.inc(cols.skippedDividends);
      SymbolSeries state = keep == known.start ? known : known.slice(keep, known.end());
      if (firstNeeded == SeriesMerge.UNCHANGED) { // only the carry moved (the history was replayed)
        return new FeatureBlock.Symbol(state, new float[0][], new double[0][], m.origin, m.changedFrom,
            m.oldOrigin, state, cols.carry, false);
      }
      values.inc((long) n * (cols.floats.length + cols.doubles.length));
      // Downstream needs the slots from firstNeeded on (Qlib from the first changed slot, silver from
      // the first rewritten session); the look-back and remembered tail before them stay here, which
      // halves what a minute part holds (its tail is the whole last session).
      int cut = Math.max(0, firstWritten - known.start);
      if (cut == 0) {
        return new FeatureBlock.Symbol(known, cols.floats, cols.doubles, m.origin, m.changedFrom, m.oldOrigin,
            state, cols.carry, true);
      }
      float[][] floats = new float[cols.floats.length][];
      for (int f = 0; f < floats.length; f++) {
        floats[f] = Arrays.copyOfRange(cols.floats[f], cut, n);
      }
      double[][] doubles = new double[cols.doubles.length][];
      for (int d = 0; d < doubles.length; d++) {
        doubles[d] = Arrays.copyOfRange(cols.doubles[d], cut, n);
      }
      return new FeatureBlock.Symbol(known.slice(known.start + cut, known.end()), floats, doubles, m.origin,
          m.changedFrom, m.oldOrigin, state, cols.carry, true);
    }
  }
}
