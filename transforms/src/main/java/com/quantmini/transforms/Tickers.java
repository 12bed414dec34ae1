package com.quantmini.transforms;

/**
 * What makes a ticker unsafe: it is data, never a path, so anything that could steer a file name
 * (separators, "..", whitespace, control or non-ASCII characters) is refused outright.
 */
public final class Tickers {
  private Tickers() {}

  /** Returns why {@code t} is not a plausible ticker, or null when it is fine. */
  public static String problem(String t) {
    if (t.length() > 64) {
      return "ticker longer than 64 characters";
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '/' || c == '\\') {
        return "ticker contains a path separator";
      }
      if (c <= ' ' || c == 0x7f) {
        return "ticker contains whitespace or a control character";
      }
      if (c > 0x7e) {
        return "ticker contains a non-ASCII character";
      }
      if (c == '"' || c == '\'') {
        return "ticker contains a quote";
      }
    }
    if (t.contains("..")) {
      return "ticker contains '..'";
    }
    return null;
  }
}
