package com.quantmini.transforms.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * A quarantined row (or a rejected file, with line 0): where it came from, why, and its text.
 * {@code line} counts the header as line 1.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class DeadLetter {
  public abstract String getDataset();

  /** The object key of the source file. */
  public abstract String getSource();

  /** Session date (ISO) of the source file; partitions the quarantine like the lake. */
  public abstract String getSession();

  public abstract long getLine();

  public abstract String getReason();

  public abstract String getDetail();

  public abstract String getRaw();

  public static DeadLetter of(
      String dataset, String source, String session, long line, Reason reason, String detail, String raw) {
    return new AutoValue_DeadLetter.Builder()
        .setDataset(dataset)
        .setSource(source)
        .setSession(session)
        .setLine(line)
        .setReason(reason.name())
        .setDetail(detail)
        .setRaw(raw)
        .build();
  }

  public static DeadLetter of(FileKey file, long line, Reason reason, String detail, String raw) {
    return of(file.getDataset(), file.getKey(), file.getSession(), line, reason, detail, raw);
  }

  /** Sets the schema coder on a dead-letter collection (each pipeline has its own registry). */
  public static PCollection<DeadLetter> withCoder(PCollection<DeadLetter> p) {
    try {
      return p.setCoder(p.getPipeline().getSchemaRegistry().getSchemaCoder(DeadLetter.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException("DeadLetter must carry a schema", e);
    }
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setDataset(String value);

    public abstract Builder setSource(String value);

    public abstract Builder setSession(String value);

    public abstract Builder setLine(long value);

    public abstract Builder setReason(String value);

    public abstract Builder setDetail(String value);

    public abstract Builder setRaw(String value);

    public abstract DeadLetter build();
  }
}
