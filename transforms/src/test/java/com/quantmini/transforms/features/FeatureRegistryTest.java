package com.quantmini.transforms.features;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import com.quantmini.transforms.FeatureMath;
import com.quantmini.transforms.model.Dataset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry against the computations: names, order, windows, the persisted carry layout, fingerprints. */
class FeatureRegistryTest {
  private static final List<String> ALL = List.of("alpha158", "seed");

  private static double[] series(int n, double start, double step) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = start + step * i + (i % 3 == 0 ? 0.5 : -0.25);
    }
    return x;
  }

  @Test
  void theSeedSetsComputeExactlyTheRegisteredColumnsInTheirOrder() {
    int n = 40;
    double[] open = series(n, 10, 0.1);
    double[] high = series(n, 11, 0.1);
    double[] low = series(n, 9, 0.1);
    double[] close = series(n, 10.2, 0.1);
    double[] volume = series(n, 1000, 3);
    long[] session = new long[n];
    for (int i = 0; i < n; i++) {
      session[i] = 19_800 + i / 10;
    }
    assertThat(new ArrayList<>(SeedFeatures.stocksDaily(open, high, low, close, volume).keySet()),
        is(FeatureRegistry.SEED_DAILY.stream().map(FeatureRegistry.Feature::name).toList()));
    assertThat(new ArrayList<>(SeedFeatures.stocksMinute(open, high, low, close, volume, session).keySet()),
        is(FeatureRegistry.SEED_MINUTE.stream().map(FeatureRegistry.Feature::name).toList()));
    long[] days = new long[n];
    for (int i = 0; i < n; i++) {
      days[i] = 19_800 + i;
    }
    List<String> options = new ArrayList<>(SeedFeatures.options(days, 19_900, 10, close, volume, close).keySet());
    options.addAll(OptionsAnalytics.NAMES);
    assertThat(options, is(FeatureRegistry.SEED_OPTIONS.stream().map(FeatureRegistry.Feature::name).toList()));
  }

  @Test
  void silverColumnsFollowTheRegistryPerDataset() {
    assertThat(FeatureMath.floatNames(Dataset.stocks_daily, ALL), is(Alpha158.NAMES));
    assertThat(FeatureMath.floatNames(Dataset.options_daily, ALL), is(List.of()));
    List<String> daily = FeatureMath.doubleNames(Dataset.stocks_daily, ALL);
    assertThat(daily.subList(0, 7), contains("factor", "change", "adj_open", "adj_high", "adj_low", "adj_close",
        "adj_volume"));
    assertThat(daily.subList(7, daily.size()), is(SeedFeatures.STOCKS_DAILY));
    assertThat(FeatureMath.doubleNames(Dataset.options_minute, ALL), contains("days_to_expiry", "moneyness",
        "returns_1d", "volume_ratio", "implied_vol", "delta", "gamma", "theta", "vega"));
    assertThat(FeatureMath.doubleNames(Dataset.stocks_minute, List.of()), is(FeatureMath.ADJUSTED));
    // Alpha158 in Qlib's order: KBAR, the price ratios, then each rolling family over 5, 10, 20, 30, 60.
    assertThat(Alpha158.NAMES.size(), is(158));
    assertThat(Alpha158.NAMES.subList(0, 14), contains("KMID", "KLEN", "KMID2", "KUP", "KUP2", "KLOW", "KLOW2",
        "KSFT", "KSFT2", "OPEN0", "HIGH0", "LOW0", "VWAP0", "ROC5"));
    assertThat(Alpha158.NAMES.get(157), is("VSUMD60"));
  }

  @Test
  void theLookBackIsTheWidestWindowOfTheSet() {
    // ROC60 reads Ref($close, 60) and CORD60 a 60-slot window of Ref($close, 1): 61 slots.
    assertThat(Alpha158.lookback(), is(61));
    assertThat(FeatureRegistry.of(Dataset.stocks_daily, ALL).lookback(), is(61));
    // Without Alpha158: returns_20d and volatility_20d need 21 closes.
    assertThat(FeatureRegistry.of(Dataset.stocks_daily, List.of("seed")).lookback(), is(21));
    assertThat(FeatureRegistry.of(Dataset.stocks_minute, List.of("seed")).lookback(), is(6));
    assertThat(Alpha158.FEATURES.stream().filter(f -> f.name().equals("MA60")).findFirst().orElseThrow().window(),
        is(60));
    assertThat(Alpha158.FEATURES.stream().filter(f -> f.name().equals("CNTP5")).findFirst().orElseThrow().window(),
        is(6));
  }

  @Test
  void theCarryLayoutIsTheOneEarlierOutputsPersisted() {
    // State files of existing outputs hold carries in this layout: it must not move.
    assertThat(SeedFeatures.DAILY_CARRY, is(13));
    assertThat(SeedFeatures.MINUTE_CARRY, is(21));
    List<Integer> offsets = FeatureRegistry.SEED_DAILY_CARRY.stream().map(FeatureRegistry.CarrySlot::offset).toList();
    assertThat(offsets, contains(0, 1, 3, 5, 7, 9, 11));
    assertThat(FeatureRegistry.offset(FeatureRegistry.SEED_MINUTE_CARRY, "minute_volume_ratio.ring"), is(1));
    // The adjustment's carry follows the seed's.
    FeatureRegistry.FeatureSet set = FeatureRegistry.of(Dataset.stocks_daily, ALL);
    assertThat(set.carrySize(), is(13 + 3));
    assertThat(FeatureRegistry.offset(set.carry(), "factor"), is(13));
    assertThat(FeatureMath.carrySize(Dataset.stocks_minute, List.of("seed")), is(21 + 3));
    assertThat(FeatureMath.carrySize(Dataset.options_daily, ALL), is(0));
  }

  @Test
  void theFingerprintChangesWithAnyDeclaration() {
    FeatureRegistry.FeatureSet set = FeatureRegistry.of(Dataset.stocks_daily, ALL);
    assertThat(set.fingerprint(), matchesPattern("[0-9a-f]{16}"));
    assertThat(FeatureRegistry.of(Dataset.stocks_daily, List.of("seed", "alpha158")).fingerprint(),
        is(set.fingerprint()));
    Set<String> seen = new HashSet<>();
    for (Dataset ds : Dataset.values()) {
      for (List<String> families : List.of(ALL, List.of("seed"), List.of("alpha158"), List.<String>of())) {
        seen.add(ds + " " + families + " " + FeatureRegistry.of(ds, families).fingerprint());
      }
    }
    // Options ignore Alpha158, so {seed} and {alpha158, seed} are the same set there.
    assertThat(seen.stream().map(s -> s.substring(s.lastIndexOf(' ') + 1)).distinct().count(), is(12L));
    List<FeatureRegistry.Feature> wider = new ArrayList<>(set.features());
    FeatureRegistry.Feature f = wider.get(20);
    wider.set(20, new FeatureRegistry.Feature(f.family(), f.name(), f.type(), f.window() + 1));
    assertThat(new FeatureRegistry.FeatureSet(set.dataset(), wider, set.carry()).fingerprint(),
        not(set.fingerprint()));
    List<FeatureRegistry.CarrySlot> carry = new ArrayList<>(set.carry());
    carry.remove(carry.size() - 1);
    assertThat(new FeatureRegistry.FeatureSet(set.dataset(), set.features(), carry).fingerprint(),
        not(set.fingerprint()));
  }
}
