package com.quantmini.io;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The graph's last step: once every writer's output is complete, {@link RunPlan#commit()} makes
 * the run visible (Qlib calendar or version link, then the manifest). It runs inside the job, so a
 * job submitted detached (Flink's REST/web submission) commits itself too; a job that fails never
 * gets here, and the manifest stays where it was. Its input is the writers' outputs by name; emits
 * the committed datasets.
 *
 * <p>The barrier is a GroupByKey on one key of a mark per written output (and one mark of its own,
 * so it fires when nothing was written): the runner groups it once all of them are complete.
 * (Waiting on a side input instead made the Direct runner retry the commit's element as a new
 * bundle at every watermark change, hundreds per run, each paying a bundle's cost.)
 */
public final class CommitRun extends PTransform<PCollectionTuple, PCollection<String>> {
  private final RunPlan plan;

  private CommitRun(RunPlan plan) {
    this.plan = plan;
  }

  /** Commits {@code plan} after all of the input's collections are complete. */
  public static CommitRun of(RunPlan plan) {
    return new CommitRun(plan);
  }

  @Override
  public PCollection<String> expand(PCollectionTuple writes) {
    KvCoder<Integer, Long> coder = KvCoder.of(VarIntCoder.of(), VarLongCoder.of());
    PCollectionList<KV<Integer, Long>> marks =
        PCollectionList.of(writes.getPipeline().apply("Token", Create.of(KV.of(0, 0L)).withCoder(coder)));
    for (Map.Entry<TupleTag<?>, PCollection<?>> w : writes.getAll().entrySet()) {
      marks = marks.and(marks(w.getKey().getId(), w.getValue()).setCoder(coder));
    }
    return marks
        .apply("AfterAllWrites", Flatten.pCollections())
        .apply("WritesDone", GroupByKey.create())
        .apply("Commit", ParDo.of(new CommitFn(plan)));
  }

  private static <T> PCollection<KV<Integer, Long>> marks(String name, PCollection<T> written) {
    return written.apply("Mark" + name, ParDo.of(new MarkFn<T>()));
  }

  /** One mark per written output, all on the barrier's single key. */
  static final class MarkFn<T> extends DoFn<T, KV<Integer, Long>> {
    @ProcessElement
    public void process(OutputReceiver<KV<Integer, Long>> out) {
      out.output(KV.of(0, 1L));
    }
  }

  static final class CommitFn extends DoFn<KV<Integer, Iterable<Long>>, String> {
    private final Counter committed = Metrics.counter(CommitRun.class, "datasetsCommitted");
    private final RunPlan plan;

    CommitFn(RunPlan plan) {
      this.plan = plan;
    }

    @ProcessElement
    public void process(OutputReceiver<String> out) throws IOException {
      List<String> done = plan.commit();
      committed.inc(done.size());
      done.forEach(out::output);
    }
  }
}
