package com.quantmini.io.lake;

/**
 * One finding: which check, where (dataset, file relative to the output, symbol, session; "-"
 * when it does not apply) and what was found.
 */
public record Problem(Check check, String dataset, String file, String symbol, String session, String detail) {
  public Problem {
    dataset = orDash(dataset);
    file = orDash(file);
    symbol = orDash(symbol);
    session = orDash(session);
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  public boolean isError() {
    return check.error;
  }

  /** One line: severity, check, dataset, file, symbol, session, detail. */
  public String line() {
    return (isError() ? "ERROR " : "WARN  ") + check.label() + " " + dataset + " " + file + " symbol=" + symbol
        + " session=" + session + ": " + detail;
  }
}
