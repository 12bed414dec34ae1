package com.quantmini.pipeline;

import static com.quantmini.pipeline.IncrementalTest.assertSameOutputs;
import static com.quantmini.pipeline.IncrementalTest.run;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Adjusted prices across runs: a split in a new session appends in place; a dividend reported
 * late, or one withdrawn, rewrites only its symbol; the REST source gives what the folder source
 * gives. Every result equals a full run over the same inputs and events, byte for byte. Inputs
 * are stocknet bars ({@link IncrementalTest}) with AAPL's raw prices cut to a quarter from a
 * session on, as an unadjusted feed shows a 1:4 split.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdjustedIncrementalTest {
  private final IncrementalTest data = new IncrementalTest();
  private Path tmp;
  private List<String> s;
  private String split;
  private String abbvEx;
  private String baEx;
  /** A full run over all sessions with every event. */
  private Path full;
  private HttpServer server;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger served = new AtomicInteger();
  private volatile int refuseWith;

  @BeforeAll
  void buildTheReference() throws IOException {
    tmp = Files.createTempDirectory("adjusted-incremental");
    data.tmp = tmp;
    data.readStocknet();
    s = data.sessions;
    split = s.get(37);
    abbvEx = s.get(20);
    baEx = s.get(38);
    full = tmp.resolve("full");
    run("run", input("full-in", s, events(true, true)), full);
  }

  @AfterAll
  void stop() throws IOException {
    if (server != null) {
      server.stop(0);
    }
    try (Stream<Path> files = Files.walk(tmp)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** AAPL trades at a quarter of its price, on four times the volume, from the split on. */
  private List<String> unadjusted(String session, List<String> rows) {
    if (session.compareTo(split) < 0) {
      return rows;
    }
    List<String> out = new ArrayList<>();
    for (String r : rows) {
      String[] f = r.split(",", -1);
      if (f[0].equals("AAPL")) {
        f[1] = Double.toString(Double.parseDouble(f[1]) * 4);
        for (int i = 2; i <= 5; i++) {
          f[i] = Double.toString(Double.parseDouble(f[i]) / 4);
        }
      }
      out.add(String.join(",", f));
    }
    return out;
  }

  private String[] events(boolean abbv, boolean ba) {
    return events(true, abbv, ba);
  }

  private String[] events(boolean aapl, boolean abbv, boolean ba) {
    String splits = !aapl ? "{\"results\": []}" : "{\"results\": [{\"id\": \"E1\", \"ticker\": \"AAPL\", "
        + "\"execution_date\": \"" + split + "\", \"split_from\": 1, \"split_to\": 4}]}";
    List<String> dividends = new ArrayList<>();
    if (abbv) {
      dividends.add("{\"id\": \"D1\", \"ticker\": \"ABBV\", \"cash_amount\": 0.4, \"currency\": \"USD\", "
          + "\"dividend_type\": \"CD\", \"ex_dividend_date\": \"" + abbvEx + "\"}");
    }
    if (ba) {
      dividends.add("{\"id\": \"D2\", \"ticker\": \"BA\", \"cash_amount\": 0.73, \"currency\": \"USD\", "
          + "\"dividend_type\": \"CD\", \"ex_dividend_date\": \"" + baEx + "\"}");
    }
    return new String[] {splits, "{\"results\": [" + String.join(", ", dividends) + "]}"};
  }

  private Path input(String name, List<String> sessions, String[] events) throws IOException {
    Path in = data.input(name, sessions, this::unadjusted);
    writeEvents(in, events);
    return in;
  }

  private static void writeEvents(Path in, String[] events) throws IOException {
    Path dir = in.resolve("corporate_actions");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("splits.json"), events[0]);
    Files.writeString(dir.resolve("dividends.json"), events[1]);
  }

  private static Object inode(Path f) throws IOException {
    return Files.getAttribute(f.toRealPath(), "unix:ino");
  }

  @Test
  void aSplitInTheNewSessionAppendsInPlaceAndEqualsAFullRun() throws Exception {
    Path in = input("a-in", s.subList(0, 36), events(true, true));
    Path inc = tmp.resolve("a-inc");
    run("run", in, inc);
    data.input("a-in", s.subList(36, s.size()), this::unadjusted);
    String out = run("daily", in, inc, "--to=" + s.get(s.size() - 1));
    assertThat(out, containsString("files: 9 listed, 5 already processed, 4 read"));
    assertThat(out, not(containsString("late corporate actions")));
    assertSameOutputs(full, inc, "stocks_daily");
    assertThat(Files.readSymbolicLink(inc.resolve("qlib/stocks_daily")).toString(), is(".stocks_daily.v1"));
  }

  @Test
  void aLateSplitAndDividendRewriteOnlyTheirSymbolsAndAWithdrawnOneIsUndone() throws Exception {
    Path in = input("b-in", s, events(false, false, true));
    Path out = tmp.resolve("b-out");
    run("run", in, out);
    Path qlib = out.resolve("qlib/stocks_daily/features");
    Object amzn = inode(qlib.resolve("amzn/close.day.bin"));
    Object aapl = inode(qlib.resolve("aapl/close.day.bin"));
    Object abbv = inode(qlib.resolve("abbv/close.day.bin"));
    // The provider reports AAPL's split and ABBV's dividend after their dates were processed: the
    // next daily run redoes the sessions from the earlier one on, and only their Qlib files change.
    writeEvents(in, events(true, true));
    String daily = run("daily", in, out, "--to=" + s.get(s.size() - 1));
    assertThat(daily, containsString("late corporate actions for AAPL (" + split + "), ABBV (" + abbvEx + "): "
        + "redoing " + (s.size() - 20) + " session(s) from " + abbvEx));
    assertSameOutputs(full, out, "stocks_daily");
    assertThat(Files.readSymbolicLink(out.resolve("qlib/stocks_daily")).toString(), is(".stocks_daily.v2"));
    assertThat("AMZN's files are carried over", inode(qlib.resolve("amzn/close.day.bin")), is(amzn));
    assertThat("AAPL's files are rewritten", inode(qlib.resolve("aapl/close.day.bin")), not(is(aapl)));
    assertThat("ABBV's files are rewritten", inode(qlib.resolve("abbv/close.day.bin")), not(is(abbv)));
    // The lake now holds the events the outputs reflect: running again changes nothing.
    assertThat(run("daily", in, out, "--to=" + s.get(s.size() - 1)), containsString("nothing new"));

    // BA's dividend is withdrawn: its factors go back to 1 from the ex-date, as a full run without it.
    writeEvents(in, events(true, false));
    assertThat(run("daily", in, out, "--to=" + s.get(s.size() - 1)),
        containsString("late corporate actions for BA (" + baEx + ")"));
    Path fullWithoutBa = tmp.resolve("b-full");
    run("run", input("b-full-in", s, events(true, false)), fullWithoutBa);
    assertSameOutputs(fullWithoutBa, out, "stocks_daily");
  }

  // ---------------------------------------------------------------- the REST source

  private void startServer() throws IOException {
    if (server != null) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String[] ev = events(true, true);
    server.createContext("/v3/reference/", x -> {
      requests.add(x.getRequestURI().toString());
      authorizations.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
      int n = served.incrementAndGet();
      if (refuseWith != 0) {
        reply(x, refuseWith, "{\"status\": \"ERROR\"}", null);
        return;
      }
      String path = x.getRequestURI().getPath();
      String query = String.valueOf(x.getRequestURI().getQuery());
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      if (path.endsWith("/splits")) {
        if (n == 1) {
          reply(x, 429, "{\"status\": \"ERROR\", \"error\": \"rate limited\"}", "1");
        } else {
          reply(x, 200, ev[0], null);
        }
      } else if (!query.contains("cursor=")) {
        // Dividends in two pages: ABBV's first, then BA's behind a cursor; one 503 on the way.
        reply(x, 200, "{\"results\": [" + dividend(ev[1], 0) + "], \"next_url\": \"" + base
            + "/v3/reference/dividends?cursor=p2\"}", null);
      } else if (requests.stream().filter(r -> r.contains("cursor=p2")).count() == 1) {
        reply(x, 503, "busy", null);
      } else {
        reply(x, 200, "{\"results\": [" + dividend(ev[1], 1) + "]}", null);
      }
    });
    server.start();
  }

  /** The i-th result of a dividends response written by {@link #events}. */
  private static String dividend(String response, int i) {
    String inner = response.substring(response.indexOf('[') + 1, response.lastIndexOf(']'));
    return inner.split("(?<=\\}), ")[i];
  }

  private static void reply(HttpExchange x, int status, String body, String retryAfter) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    if (retryAfter != null) {
      x.getResponseHeaders().add("Retry-After", retryAfter);
    }
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  /** Runs with an environment holding a key; returns {exit, stdout + stderr}. */
  private static Object[] withKey(String key, String... args) {
    return IncrementalTest.invokeCapturingAll(Map.of("POLYGON_API_KEY", key), args);
  }

  @Test
  void theRestSourcePagesRetriesAndGivesWhatTheFolderGives() throws Exception {
    startServer();
    Path in = data.input("r-in", s, this::unadjusted); // no corporate_actions folder
    Path out = tmp.resolve("r-out");
    String key = "k3y-not-for-logs-7f3a";
    String endpoint = "--restEndpoint=http://127.0.0.1:" + server.getAddress().getPort();
    Object[] r = withKey(key, "run", "--input=" + in, "--output=" + out, "--datasets=stocks_daily",
        "--symbolBuckets=4", "--targetParallelism=2", "--to=" + s.get(s.size() - 1), endpoint);
    assertThat(r[1].toString(), r[0], is(0));
    assertThat((String) r[1], containsString("fetched 3 events for " + s.get(0) + ".." + s.get(s.size() - 1)
        + " in 5 request(s), 2 retried"));
    assertThat(requests.get(0), containsString("execution_date.gte=" + s.get(0)));
    assertThat(requests.get(0), containsString("limit=1000"));
    assertThat(authorizations.stream().filter(a -> !a.equals("Bearer " + key)).collect(Collectors.toList()), empty());
    assertThat(requests.stream().filter(q -> q.contains(key)).collect(Collectors.toList()), empty());
    assertThat((String) r[1], not(containsString(key)));
    assertSameOutputs(full, out, "stocks_daily");
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(f.toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(key), is(false));
      }
    }

    // Moving the same output to a folder with the same events changes nothing: what counts is the
    // set of events, not where it came from.
    writeEvents(in, events(true, true));
    assertThat(run("daily", in, out, "--to=" + s.get(s.size() - 1)), containsString("nothing new"));

    // A refused key stops the run before anything changes, naming the variable, never the key.
    refuseWith = 401;
    Map<String, byte[]> before = IncrementalTest.tree(out.resolve("qlib/stocks_daily"));
    Object[] refused = withKey(key, "daily", "--input=" + in, "--output=" + out, "--datasets=stocks_daily",
        "--targetParallelism=2", "--to=" + s.get(s.size() - 1), "--corporateActions=rest", endpoint);
    refuseWith = 0;
    assertThat(refused[0], is(1));
    assertThat((String) refused[1], containsString("POLYGON_API_KEY"));
    assertThat((String) refused[1], not(containsString(key)));
    assertThat(IncrementalTest.tree(out.resolve("qlib/stocks_daily")).keySet(), is(before.keySet()));
  }
}
