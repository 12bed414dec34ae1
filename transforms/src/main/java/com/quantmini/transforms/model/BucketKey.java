package com.quantmini.transforms.model;

/**
 * A symbol bucket: {@code <dataset>/<number>} as the graph's group keys and the state files name
 * it. Parsed and formatted here only, so no step cuts the text itself.
 */
public record BucketKey(Dataset dataset, int number) {
  public BucketKey {
    if (dataset == null || number < 0) {
      throw new IllegalArgumentException("a bucket needs a dataset and a number >= 0, got " + dataset + "/" + number);
    }
  }

  /** The bucket of key {@code <dataset>/<number>}; a clear error for anything else. */
  public static BucketKey parse(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a bucket key: '" + key + "', expected <dataset>/<number>");
    }
    try {
      return new BucketKey(Dataset.valueOf(key.substring(0, slash)), Integer.parseInt(key.substring(slash + 1)));
    } catch (IllegalArgumentException e) { // also NumberFormatException
      throw new IllegalArgumentException("not a bucket key: '" + key + "', expected <dataset>/<number>", e);
    }
  }

  /** The bucket of the same number in {@code other} (options buckets follow their underlyings'). */
  public BucketKey in(Dataset other) {
    return new BucketKey(other, number);
  }

  @Override
  public String toString() {
    return dataset.name() + "/" + number;
  }
}
