package com.quantmini.transforms;

/** Early validation of transform configuration, with messages that name the bad value. */
public final class Checks {
  private Checks() {}

  public static void checkArgument(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }
}
