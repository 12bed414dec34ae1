package com.quantmini.transforms.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * One source object: a day of one dataset. {@code key} is relative to the input root (the provider's
 * object key), {@code resource} is what Beam's FileSystems opens, {@code etag} identifies the version.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class FileKey {
  public abstract String getDataset();

  public abstract String getKey();

  public abstract String getResource();

  /** Session date as ISO {@code YYYY-MM-DD}, taken from the key. */
  public abstract String getSession();

  public abstract long getSizeBytes();

  public abstract String getEtag();

  public Dataset dataset() {
    return Dataset.valueOf(getDataset());
  }

  public static FileKey of(
      Dataset dataset, String key, String resource, String session, long sizeBytes, String etag) {
    return builder()
        .setDataset(dataset.name())
        .setKey(key)
        .setResource(resource)
        .setSession(session)
        .setSizeBytes(sizeBytes)
        .setEtag(etag)
        .build();
  }

  public static Builder builder() {
    return new AutoValue_FileKey.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setDataset(String value);

    public abstract Builder setKey(String value);

    public abstract Builder setResource(String value);

    public abstract Builder setSession(String value);

    public abstract Builder setSizeBytes(long value);

    public abstract Builder setEtag(String value);

    public abstract FileKey build();
  }
}
