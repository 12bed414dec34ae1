package com.quantmini.io.lake;

import java.util.Locale;

/**
 * What {@link LakeValidator} checks, each with the name reports use ({@code bin-length}) and
 * whether a finding fails validation (errors) or only warns (health).
 */
public enum Check {
  MANIFEST_MISSING(true, "a dataset asked for has no manifest"),
  UNREADABLE(true, "a file cannot be read or parsed"),
  QLIB_LINK(true, "qlib/<dataset> is not a link to the manifest's version"),
  CALENDAR_ORDER(true, "calendar lines not strictly increasing (unsorted or repeated)"),
  CALENDAR_LINE(true, "a calendar line that is not a session or minute"),
  CALENDAR_EXTRA(true, "a calendar slot the lake has no bar for"),
  CALENDAR_MISSING(true, "a session or minute of the lake missing from the calendar"),
  INSTRUMENT_MISSING(true, "a symbol of the lake without its all.txt line"),
  INSTRUMENT_UNKNOWN(true, "an all.txt line for a symbol the lake has no bar of"),
  INSTRUMENT_WITHOUT_FILES(true, "an all.txt line without its features directory or a field file"),
  DIRECTORY_WITHOUT_INSTRUMENT(true, "a features directory no all.txt line names"),
  SPAN(true, "all.txt span differs from the symbol's first and last bar"),
  BIN_HEADER(true, "a bin's start slot differs from its all.txt span"),
  BIN_LENGTH(true, "a bin's length differs from its all.txt span"),
  BIN_BEYOND_CALENDAR(true, "a bin reaching past the calendar's end"),
  BIN_VALUE(true, "a bin value differs from bronze (adjusted) or is not NaN where there is no bar"),
  ROW_COUNT(true, "bronze rows of a session differ from the manifest's written count"),
  SILVER_ROWS(true, "silver rows of a session differ from bronze"),
  QUARANTINE_ROWS(true, "quarantine records of a session differ from the manifest's count"),
  MISSING_FILE(true, "a manifest object without its bronze, silver or quarantine file"),
  TEMP_FILE(true, "a temp file a write never renamed"),
  ORPHAN_FILE(true, "a file or folder no manifest accounts for"),
  MONTH_FILE(true, "a fresh month file (_compact/) whose rows differ from its sessions', or that is missing"),
  MONTH_STALE(false, "a month file older than its session files: query reads the sessions until `compact`"),
  MISSING_SESSIONS(false, "sessions the NYSE calendar expects between the lake's first and last"),
  PRICE_MOVE(false, "an adjusted close moving more than --maxMove from the bar before"),
  VOLUME_JUMP(false, "volume more than --maxVolumeJump times the bar before"),
  GAP(false, "sessions inside a symbol's span without a bar (NaN in its bins)"),
  FACTOR(false, "a bar whose factor is missing or not positive");

  public final boolean error;
  public final String meaning;

  Check(boolean error, String meaning) {
    this.error = error;
    this.meaning = meaning;
  }

  /** The name reports print: {@code BIN_LENGTH} is {@code bin-length}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
