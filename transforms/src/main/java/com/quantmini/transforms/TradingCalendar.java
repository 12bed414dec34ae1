package com.quantmini.transforms;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.LongArrayCoder;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The calendar each dataset's series live on, as Qlib builds it: the sorted union of all bar times.
 * For daily datasets a slot is a session (epoch day); for minute datasets a slot is a distinct
 * window_start (ns). Output: one {@code KV<dataset, sorted unique long[]>} per dataset.
 */
public final class TradingCalendar extends PTransform<PCollection<BarBlock>, PCollection<KV<String, long[]>>> {
  private final PCollection<KV<String, long[]>> prior;

  private TradingCalendar(PCollection<KV<String, long[]>> prior) {
    this.prior = prior;
  }

  /** The calendar after this run: the prior one (empty on a first run) plus this run's bar times. */
  public static TradingCalendar extending(PCollection<KV<String, long[]>> prior) {
    return new TradingCalendar(prior);
  }

  @Override
  public PCollection<KV<String, long[]>> expand(PCollection<BarBlock> sessions) {
    KvCoder<String, long[]> coder = KvCoder.of(StringUtf8Coder.of(), LongArrayCoder.of());
    PCollection<KV<String, long[]>> fresh = sessions.apply("SlotsOfBlock", ParDo.of(new SlotsFn())).setCoder(coder);
    return PCollectionList.of(fresh).and(prior).apply("WithPrior", Flatten.pCollections())
        .apply("UnionSlots", Combine.perKey(new UnionFn())).setCoder(coder);
  }

  /** The slot time of row i: its session (daily) or its window_start (minute). */
  public static long slotTime(BarBlock b, int i, boolean daily) {
    return daily ? LocalDate.parse(b.session()).toEpochDay() : b.windowStart(i);
  }

  static final class SlotsFn extends DoFn<BarBlock, KV<String, long[]>> {
    @ProcessElement
    public void process(@Element BarBlock b, OutputReceiver<KV<String, long[]>> out) {
      if (b.datasetEnum().isDaily()) {
        out.output(KV.of(b.dataset(), new long[] {LocalDate.parse(b.session()).toEpochDay()}));
        return;
      }
      long[] t = new long[b.size()];
      for (int i = 0; i < t.length; i++) {
        t[i] = b.windowStart(i);
      }
      out.output(KV.of(b.dataset(), sortedUnique(t)));
    }
  }

  static long[] sortedUnique(long[] t) {
    long[] s = t.clone();
    Arrays.sort(s);
    int n = 0;
    for (int i = 0; i < s.length; i++) {
      if (n == 0 || s[i] != s[n - 1]) {
        s[n++] = s[i];
      }
    }
    return Arrays.copyOf(s, n);
  }

  /** Merges sorted unique arrays. */
  static final class UnionFn extends Combine.BinaryCombineFn<long[]> {
    @Override
    public long[] apply(long[] a, long[] b) {
      long[] out = new long[a.length + b.length];
      int i = 0;
      int j = 0;
      int n = 0;
      while (i < a.length || j < b.length) {
        long v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
        if (i < a.length && a[i] == v) {
          i++;
        }
        if (j < b.length && b[j] == v) {
          j++;
        }
        out[n++] = v;
      }
      return Arrays.copyOf(out, n);
    }

    @Override
    public long[] identity() {
      return new long[0];
    }
  }
}
