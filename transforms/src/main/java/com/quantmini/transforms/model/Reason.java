package com.quantmini.transforms.model;

/** Why a row or a whole file went to the quarantine instead of the lake. */
public enum Reason {
  /** File-level: the header lacks a required column; the whole file is rejected. */
  MISSING_COLUMN,
  /** File-level: the gzip stream is corrupt or truncated; the whole file is rejected. */
  CORRUPT_GZIP,
  /** File-level: the file has no header line at all. */
  EMPTY_FILE,
  WRONG_COLUMN_COUNT,
  EMPTY_FIELD,
  BAD_NUMBER,
  NOT_FINITE,
  NEGATIVE_PRICE,
  NEGATIVE_VOLUME,
  HIGH_BELOW_LOW,
  OPEN_CLOSE_OUTSIDE_RANGE,
  /** window_start, read as New York time, is not on the session named by the object key. */
  WRONG_SESSION,
  /** A ticker with characters no real ticker has (path separators, whitespace, controls, "..."). */
  BAD_TICKER,
  BAD_OPTIONS_TICKER,
  /** Same ticker and window_start with different values: every copy is quarantined. */
  DUPLICATE_CONFLICT;

  /** True for reasons that reject a whole file rather than one row. */
  public boolean isFileLevel() {
    return this == MISSING_COLUMN || this == CORRUPT_GZIP || this == EMPTY_FILE;
  }
}
