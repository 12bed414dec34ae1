package com.quantmini.pipeline;

import com.quantmini.io.FileStateStore.Staged;
import com.quantmini.io.ListKeys;
import com.quantmini.io.Manifest;
import com.quantmini.io.RunPlan;
import com.quantmini.io.actions.ActionsLake;
import com.quantmini.io.actions.FolderActions;
import com.quantmini.io.actions.RestActions;
import com.quantmini.options.QuantMiniOptions;
import com.quantmini.transforms.FeatureMath;
import com.quantmini.transforms.WindowedFeatures;
import com.quantmini.transforms.adjust.ActionChanges;
import com.quantmini.transforms.adjust.CorporateAction;
import com.quantmini.transforms.adjust.CorporateActions;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineResult;

/**
 * Decides, before a run, which splits and dividends adjust its stock prices: resolves the source
 * ({@code --corporateActions}), loads the events, and compares them with the ones each stock
 * dataset's outputs were computed with (kept in the lake, {@link ActionsLake}). An event that
 * appeared, changed or disappeared on or before a dataset's last processed session makes the run
 * redo that dataset's sessions from the event's date, so the result equals a full run.
 */
public final class Adjusting {
  /** Environment variables that may hold the provider's API key, in the order they are tried. */
  static final List<String> KEY_VARIABLES = List.of("POLYGON_API_KEY", "MASSIVE_API_KEY");

  /** The run's events and what they make it redo. */
  public final CorporateActions actions;
  /** Per stock dataset, sessions already processed that late events make this run redo. */
  public final Map<Dataset, SortedSet<String>> lateSessions;
  /** Per stock dataset, the tickers whose events changed, with the earliest date (for the summary). */
  final Map<Dataset, Map<String, Long>> lateTickers;
  /** Every event loaded, to be kept in the lake once the outputs reflect them. */
  final List<ActionsLake.Row> rows;
  /** What the run summary says about adjustment. */
  final List<String> notes;
  final boolean unadjusted;

  private Adjusting(CorporateActions actions, Map<Dataset, SortedSet<String>> lateSessions,
      Map<Dataset, Map<String, Long>> lateTickers, List<ActionsLake.Row> rows, List<String> notes, boolean unadjusted) {
    this.actions = actions;
    this.lateSessions = lateSessions;
    this.lateTickers = lateTickers;
    this.rows = rows;
    this.notes = notes;
    this.unadjusted = unadjusted;
  }

  /** A run that adjusts nothing: no stock dataset, or no events asked for. */
  static Adjusting none(List<String> notes) {
    return new Adjusting(CorporateActions.none(), Map.of(), Map.of(), List.of(), notes, true);
  }

  /** Sessions of every stock dataset this run redoes, as {@code <dataset>/<session>}. */
  public List<String> reprocessKeys() {
    List<String> out = new ArrayList<>();
    lateSessions.forEach((d, sessions) -> sessions.forEach(s -> out.add(d.name() + "/" + s)));
    return out;
  }

  /** Dataset name → ticker → epoch day from which its factors changed after its files were written. */
  public Map<String, Map<String, Long>> lateTickers() {
    Map<String, Map<String, Long>> out = new HashMap<>();
    lateTickers.forEach((d, t) -> out.put(d.name(), t));
    return out;
  }

  /** Earliest session a late event makes this run redo, or null. */
  public String earliestLateSession() {
    return lateSessions.values().stream().filter(s -> !s.isEmpty()).map(SortedSet::first).min(String::compareTo)
        .orElse(null);
  }

  /**
   * Loads the events and works out what they change.
   *
   * @throws IllegalArgumentException on a usage error (bad option value, missing key for rest,
   *     an adjusted output that {@code auto} would silently unadjust)
   * @throws IOException when the source cannot be read (the run must not go on without it)
   */
  public static Adjusting prepare(QuantMiniOptions o, RunPlan plan, Map<String, String> env) throws IOException {
    List<Dataset> stocks = new ArrayList<>();
    for (Dataset d : QuantMiniPipeline.datasets(o)) {
      if (FeatureMath.adjusted(d)) {
        stocks.add(d);
      }
    }
    boolean dividends = dividends(o.getAdjust());
    if (stocks.isEmpty()) {
      return none(List.of());
    }
    String output = QuantMiniPipeline.absolute(o.getOutput());
    Map<Dataset, List<ActionsLake.Row>> stored = new LinkedHashMap<>();
    for (Dataset d : stocks) {
      List<ActionsLake.Row> rows = ActionsLake.read(ActionsLake.path(output, d.name()));
      if (rows != null) {
        stored.put(d, rows);
      }
    }
    String option = o.getCorporateActions() == null ? "auto" : o.getCorporateActions().trim();
    String keyVariable = null;
    for (String v : KEY_VARIABLES) {
      if (env.get(v) != null && !env.get(v).isBlank()) {
        keyVariable = v;
        break;
      }
    }
    String input = QuantMiniPipeline.absolute(o.getInput());
    String folder = null;
    boolean rest = false;
    if (option.equals("auto")) {
      if (keyVariable != null) {
        rest = true;
      } else if (FolderActions.exists(input + "/corporate_actions")) {
        folder = input + "/corporate_actions";
      } else {
        for (Map.Entry<Dataset, List<ActionsLake.Row>> e : stored.entrySet()) {
          long applied = e.getValue().stream().filter(r -> r.applied).count();
          if (applied > 0) {
            throw new IllegalArgumentException(e.getKey() + " was adjusted with " + applied + " events from "
                + e.getValue().get(0).source + ", but this run finds no source (neither " + String.join(" nor ",
                KEY_VARIABLES) + " is set, and " + input + "/corporate_actions/ does not exist): set the key, "
                + "pass --corporateActions=<folder>, or --corporateActions=none to unadjust it");
          }
        }
      }
    } else if (option.equals("rest")) {
      if (keyVariable == null) {
        throw new IllegalArgumentException("--corporateActions=rest needs the provider's API key in "
            + String.join(" or ", KEY_VARIABLES));
      }
      rest = true;
    } else if (!option.equals("none")) {
      folder = QuantMiniPipeline.absolute(option);
    }
    if (!rest && folder == null) {
      Adjusting a = compare(plan, stocks, stored, List.of(), CorporateActions.none(), "none", Instant.now());
      a.notes.add(0, "prices are unadjusted: no corporate actions source (--corporateActions=" + option
          + "); factor is 1 everywhere");
      return a;
    }
    Instant fetchedAt = Instant.now();
    List<CorporateAction> events;
    String source;
    List<String> extra = new ArrayList<>();
    if (rest) {
      LocalDate to = o.getTo() == null || o.getTo().isBlank() ? LocalDate.now(ZoneId.of("America/New_York"))
          : LocalDate.parse(o.getTo());
      LocalDate from = windowStart(o, plan, stocks, input, to);
      RestActions.Fetched f = RestActions.of(o.getRestEndpoint(), keyVariable, env.get(keyVariable)).fetch(from, to);
      events = new ArrayList<>(f.events);
      // Outside the window the lake's events stand: they were fetched before and cannot have moved
      // a factor the window does not reach.
      List<ActionsLake.Row> newest = newest(stored);
      if (newest != null) {
        for (ActionsLake.Row r : newest) {
          if (r.event.date().isBefore(from) || r.event.date().isAfter(to)) {
            events.add(r.event);
          }
        }
      }
      source = "rest " + o.getRestEndpoint();
      extra.add(String.format("fetched %d events for %s..%s in %d request(s)%s", f.events.size(), from, to,
          f.requests, f.retries == 0 ? "" : ", " + f.retries + " retried"));
    } else {
      events = FolderActions.load(folder);
      source = folder;
    }
    CorporateActions actions = CorporateActions.of(events, dividends);
    Adjusting a = compare(plan, stocks, stored, events, actions, source, fetchedAt);
    a.notes.add(0, String.format("corporate actions (%s, %s): %d events, %d applied, %d duplicates counted once,"
        + " %d unusable%s%s", source, dividends ? "splits and dividends" : "splits only", actions.read,
        actions.size(), actions.duplicates, actions.unusable,
        actions.unusableExamples.isEmpty() ? "" : " (" + String.join("; ", actions.unusableExamples) + ")",
        actions.notApplied == 0 ? "" : ", " + actions.notApplied + " dividends not applied (--adjust=splits)"));
    a.notes.addAll(1, extra);
    return a;
  }

  static boolean dividends(List<String> adjust) {
    TreeSet<String> kinds = new TreeSet<>();
    for (String k : adjust) {
      if (!k.isBlank()) {
        kinds.add(k.trim());
      }
    }
    if (kinds.equals(new TreeSet<>(List.of("splits", "dividends")))) {
      return true;
    }
    if (kinds.equals(new TreeSet<>(List.of("splits")))) {
      return false;
    }
    throw new IllegalArgumentException("--adjust must be splits,dividends or splits, was " + String.join(",", adjust));
  }

  /**
   * First day the REST window must cover: a new output needs events from its first session, an
   * existing one those that may have been reported late since its last session.
   */
  static LocalDate windowStart(QuantMiniOptions o, RunPlan plan, List<Dataset> stocks, String input, LocalDate to)
      throws IOException {
    LocalDate from = null;
    LocalDate runFrom = o.getFrom() == null || o.getFrom().isBlank() ? null : LocalDate.parse(o.getFrom());
    for (Dataset d : stocks) {
      Manifest m = plan.manifest(d);
      LocalDate f;
      if (m.lastSession() != null) {
        f = LocalDate.parse(m.lastSession()).minusDays(o.getEventLookbackDays());
        if (runFrom != null && runFrom.isBefore(f)) {
          f = runFrom; // a back-fill older than the window
        }
      } else if (runFrom != null) {
        f = runFrom;
      } else {
        SortedSet<String> listed = new TreeSet<>(ListKeys.keysBySession(input, List.of(d), null, to).keySet());
        f = listed.isEmpty() ? to : LocalDate.parse(listed.first());
      }
      from = earliest(from, f);
    }
    return from;
  }

  private static LocalDate earliest(LocalDate a, LocalDate b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private static List<ActionsLake.Row> newest(Map<Dataset, List<ActionsLake.Row>> stored) {
    List<ActionsLake.Row> best = null;
    for (List<ActionsLake.Row> rows : stored.values()) {
      if (!rows.isEmpty() && (best == null || best.isEmpty() || rows.get(0).fetchedAt.isAfter(best.get(0).fetchedAt))) {
        best = rows;
      }
    }
    return best;
  }

  /** Compares the events with each dataset's stored ones; late changes become sessions to redo. */
  private static Adjusting compare(RunPlan plan, List<Dataset> stocks, Map<Dataset, List<ActionsLake.Row>> stored,
      List<CorporateAction> events, CorporateActions actions, String source, Instant fetchedAt) {
    TreeSet<CorporateAction> applied = actions.applied();
    Map<Dataset, SortedSet<String>> late = new LinkedHashMap<>();
    Map<Dataset, Map<String, Long>> tickers = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (Dataset d : stocks) {
      Manifest m = plan.manifest(d);
      String last = m.lastSession();
      if (m.stateVersion == 0 || last == null) {
        continue; // a new output: nothing written yet
      }
      TreeSet<CorporateAction> before = new TreeSet<>();
      for (ActionsLake.Row r : stored.getOrDefault(d, List.of())) {
        if (r.applied) {
          before.add(r.event);
        }
      }
      long lastDay = LocalDate.parse(last).toEpochDay();
      Map<String, Long> changed = new TreeMap<>();
      ActionChanges.earliest(before, applied).forEach((t, day) -> {
        if (day <= lastDay) {
          changed.put(t, day);
        }
      });
      if (changed.isEmpty()) {
        continue;
      }
      String from = LocalDate.ofEpochDay(Collections.min(changed.values())).toString();
      SortedSet<String> redo = new TreeSet<>(m.sessions().tailSet(from));
      if (redo.isEmpty()) {
        continue;
      }
      if (!d.isDaily() && redo.size() > 1) {
        throw new LateMinuteEvents(d + ": corporate actions changed for " + describe(changed) + ", on or before "
            + "sessions already written (" + redo.first() + ".." + redo.last() + "); a minute dataset keeps only its "
            + "last session and cannot be rewritten that far back incrementally. Rebuild " + d + " into a new output, "
            + "or run the other datasets without it (--datasets)");
      }
      late.put(d, redo);
      tickers.put(d, changed);
      notes.add(String.format("%s: late corporate actions for %s: redoing %d session(s) from %s", d,
          describe(changed), redo.size(), redo.first()));
    }
    List<ActionsLake.Row> rows = new ArrayList<>();
    for (CorporateAction e : events) {
      rows.add(new ActionsLake.Row(e, applied.contains(e), source, fetchedAt));
    }
    return new Adjusting(actions, late, tickers, rows, new ArrayList<>(notes), events.isEmpty());
  }

  private static String describe(Map<String, Long> changed) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Long> e : changed.entrySet()) {
      if (parts.size() == 5) {
        parts.add("and " + (changed.size() - 5) + " more");
        break;
      }
      parts.add(e.getKey() + " (" + LocalDate.ofEpochDay(e.getValue()) + ")");
    }
    return String.join(", ", parts);
  }

  /**
   * Stages the events in each stock dataset's run folder; the commit keeps them in the lake. Not
   * while a later part of the run still has late sessions of that dataset to redo: until those are
   * written, the lake must keep the old events so a failed run redoes them.
   */
  void stage(RunPlan plan, String to) throws IOException {
    for (Dataset d : plan.datasets()) {
      if (!FeatureMath.adjusted(d)) {
        continue;
      }
      SortedSet<String> redo = lateSessions.getOrDefault(d, new TreeSet<>());
      if (!redo.isEmpty() && to != null && !to.isBlank() && redo.last().compareTo(to) > 0) {
        continue;
      }
      ActionsLake.write(rows, Staged.ACTIONS.in(plan.layouts().get(d.name()).stateDir));
    }
  }

  /** The summary's lines on adjustment, with what the run's features step counted. */
  List<String> describe(PipelineResult result, RunPlan plan) {
    List<String> out = new ArrayList<>(notes);
    if (unadjusted) {
      return out;
    }
    for (Dataset d : plan.datasets()) {
      if (!FeatureMath.adjusted(d)
          || RunSummary.counter(result, WindowedFeatures.class, "bucketsComputed_" + d) == 0) {
        continue;
      }
      long matched = RunSummary.counter(result, WindowedFeatures.class,
          "corporateActionsMatched_" + d);
      out.add(String.format("%s: %d applied events are for tickers without bars", d, actions.size() - matched));
    }
    long skipped = RunSummary.counter(result, WindowedFeatures.class, "dividendsSkipped");
    if (skipped > 0) {
      out.add(skipped + " dividend evaluation(s) skipped: no earlier bar, or cash at or above the previous close");
    }
    return out;
  }

  /** Late events a minute dataset cannot take without a rebuild. */
  public static final class LateMinuteEvents extends IllegalStateException {
    LateMinuteEvents(String message) {
      super(message);
    }
  }
}
