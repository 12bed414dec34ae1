package com.quantmini.io.lake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link LakeValidator} found in one output: problems (at most {@link #KEEP} of each check per
 * dataset are kept, the rest only counted, so a badly broken lake still gives a readable report),
 * and what was covered per dataset. Safe to add to from several threads.
 */
public final class ValidationReport {
  /** Problems of one check and dataset kept in the report; more are counted. */
  public static final int KEEP = 1000;
  /** Problems of one check and dataset printed in the text report. */
  static final int PRINT = 20;

  /** What one dataset's validation covered. */
  public record Coverage(String dataset, int sessions, long bronzeRows, int calendarSlots, int symbols,
      int symbolsValueChecked, long valuesChecked, int binFiles) {}

  private final String output;
  private final Map<String, List<Problem>> kept = new TreeMap<>();
  private final Map<String, Integer> counts = new TreeMap<>();
  private final Map<String, Coverage> coverage = new LinkedHashMap<>();
  private double seconds;

  public ValidationReport(String output) {
    this.output = output;
  }

  public synchronized void add(Problem p) {
    String key = p.dataset() + " " + p.check().label();
    int n = counts.merge(key, 1, Integer::sum);
    if (n <= KEEP) {
      kept.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
    }
  }

  synchronized void cover(Coverage c) {
    coverage.put(c.dataset(), c);
  }

  void seconds(double s) {
    seconds = s;
  }

  /** Every kept problem, errors first, then by dataset, check, symbol and session. */
  public synchronized List<Problem> problems() {
    List<Problem> all = new ArrayList<>();
    kept.values().forEach(all::addAll);
    all.sort(Comparator.comparing((Problem p) -> !p.isError()).thenComparing(Problem::dataset)
        .thenComparing(p -> p.check().ordinal()).thenComparing(Problem::symbol).thenComparing(Problem::session)
        .thenComparing(Problem::file));
    return all;
  }

  public synchronized long errors() {
    return count(true);
  }

  public synchronized long warnings() {
    return count(false);
  }

  private long count(boolean error) {
    long n = 0;
    for (Map.Entry<String, List<Problem>> e : kept.entrySet()) {
      if (e.getValue().get(0).isError() == error) {
        n += counts.get(e.getKey());
      }
    }
    return n;
  }

  public synchronized List<Coverage> coverage() {
    return new ArrayList<>(coverage.values());
  }

  /** 0 when consistent (warnings allowed), 1 when any check failed. */
  public int exitCode() {
    return errors() == 0 ? 0 : 1;
  }

  /** The report for people: problems (at most {@link #PRINT} per check and dataset), then a summary. */
  public synchronized String text() {
    StringBuilder sb = new StringBuilder();
    Map<String, Integer> printed = new TreeMap<>();
    for (Problem p : problems()) {
      String key = p.dataset() + " " + p.check().label();
      if (printed.merge(key, 1, Integer::sum) <= PRINT) {
        sb.append(p.line()).append('\n');
      }
    }
    counts.forEach((key, n) -> {
      if (n > PRINT) {
        sb.append("... ").append(key).append(": ").append(n - PRINT).append(" more (").append(n).append(" in all)\n");
      }
    });
    for (Coverage c : coverage.values()) {
      sb.append(String.format("%s: %d sessions, %d bronze rows, %d calendar slots, %d symbols (%d value-checked, "
          + "%d values), %d bins%n", c.dataset(), c.sessions(), c.bronzeRows(), c.calendarSlots(), c.symbols(),
          c.symbolsValueChecked(), c.valuesChecked(), c.binFiles()));
    }
    sb.append(String.format("validate %s: %s, %d error(s), %d warning(s), %.1f s%n", output,
        errors() == 0 ? "consistent" : "NOT consistent", errors(), warnings(), seconds));
    return sb.toString();
  }

  /** The report for machines: counts, coverage and every kept problem. */
  public synchronized String json() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("output", output);
    root.put("consistent", errors() == 0);
    root.put("errors", errors());
    root.put("warnings", warnings());
    root.put("seconds", Math.round(seconds * 10) / 10.0);
    ObjectNode byCheck = root.putObject("counts");
    counts.forEach(byCheck::put);
    root.set("datasets", mapper.valueToTree(coverage.values()));
    ArrayNode list = root.putArray("problems");
    for (Problem p : problems()) {
      ObjectNode o = list.addObject();
      o.put("severity", p.isError() ? "error" : "warning");
      o.put("check", p.check().label());
      o.put("dataset", p.dataset());
      o.put("file", p.file());
      o.put("symbol", p.symbol());
      o.put("session", p.session());
      o.put("detail", p.detail());
    }
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree of plain nodes always serializes
    }
  }
}
