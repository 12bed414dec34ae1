package com.quantmini.transforms.model;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where the features step can put a bucket's {@link FeatureBlock} instead of emitting it whole:
 * the Direct runner queues every bucket's output before any consumer runs, so blocks kept in
 * memory would hold a whole session's features at once. io's {@code WorkFolder} keeps them in the
 * run's work folder; consumers load a handle back one bucket at a time.
 */
public interface BlockStore extends Serializable {
  /** Writes the block and returns its handle ({@link FeatureBlock#isStored()}: names and a path, no symbols). */
  FeatureBlock store(FeatureBlock block) throws IOException;
}
