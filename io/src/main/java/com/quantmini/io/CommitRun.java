package com.quantmini.io;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The graph's last step: once every writer's output is complete, {@link RunPlan#commit()} makes
 * the run visible (Qlib calendar or version link, then the manifest). It runs inside the job, so a
 * job submitted detached (Flink's REST/web submission) commits itself too; a job that fails never
 * gets here, and the manifest stays where it was. Emits the committed datasets.
 */
public final class CommitRun extends PTransform<PBegin, PCollection<String>> {
  private final RunPlan plan;
  private final PCollection<?>[] signals;

  private CommitRun(RunPlan plan, PCollection<?>[] signals) {
    this.plan = plan;
    this.signals = signals;
  }

  /** Commits {@code plan} after all of {@code writes} are complete. */
  public static CommitRun after(RunPlan plan, PCollection<?>... writes) {
    return new CommitRun(plan, writes);
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    return begin
        .apply("Token", Create.of("commit"))
        .apply("AfterAllWrites", Wait.on(signals))
        .apply("Commit", ParDo.of(new CommitFn(plan)));
  }

  static final class CommitFn extends DoFn<String, String> {
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
