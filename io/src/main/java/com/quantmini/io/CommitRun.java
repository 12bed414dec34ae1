package com.quantmini.io;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
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
 * <p>The barrier is a global count of everything written, which the runner computes once all of it
 * is complete. (Waiting on a side input instead made the Direct runner retry the commit's element
 * as a new bundle at every watermark change: hundreds per run, each paying a bundle's cost.)
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
    // A token makes the count exist when nothing was written; without defaults, since a default
    // is produced through a side input (the retries above).
    PCollectionList<Long> counts = PCollectionList.of(writes.getPipeline().apply("Token", Create.of(0L)));
    for (Map.Entry<TupleTag<?>, PCollection<?>> w : writes.getAll().entrySet()) {
      counts = counts.and(count(w.getKey().getId(), w.getValue()));
    }
    return counts
        .apply("AfterAllWrites", Flatten.pCollections())
        .apply("WritesDone", Combine.globally(Sum.ofLongs()).withoutDefaults())
        .apply("Commit", ParDo.of(new CommitFn(plan)));
  }

  private static <T> PCollection<Long> count(String name, PCollection<T> written) {
    return written.apply("Count" + name, Combine.globally(Count.<T>combineFn()).withoutDefaults());
  }

  static final class CommitFn extends DoFn<Long, String> {
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
