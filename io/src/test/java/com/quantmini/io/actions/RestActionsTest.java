package com.quantmini.io.actions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.adjust.CorporateAction;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RestActions against a fake provider on 127.0.0.1: splits on 2 pages, dividends on 3. */
class RestActionsTest {
  private static final String KEY = "pk_T3st9f3c2a7e51b04d8eQx";
  private static final String VAR = "POLYGON_API_KEY";
  private static final LocalDate FROM = LocalDate.of(2020, 1, 1);
  private static final LocalDate TO = LocalDate.of(2024, 12, 31);
  private static final String SPLITS = "/v3/reference/splits";
  private static final String DIVIDENDS = "/v3/reference/dividends";

  private static final Provider PROVIDER = new Provider();
  private static final List<String> ELSEWHERE_HITS = new CopyOnWriteArrayList<>();
  private static HttpServer provider;
  private static HttpServer elsewhere;
  private static String base;

  private static final List<String> EXPECTED = List.of(
      "AAPL split 1:4 on 2020-08-31 #E36416cce743c3964c5da63e1ef1626c0aece30fb47302eea5a49c0055c04e8d0",
      "ODFL split 2:3 on 2020-03-25 #E1b7d5ed1c9e20c3a4a4c6bb0d2b0f29b2c2f1c6a8f3e0a3a9b5d0a8c2f6e4b21",
      "AAPL split 1:4 on 2020-08-31 #E9a0c1f1d6c3b9b1d87a2e3b9bd5f6ab0f5c0b3e4f2c6d2e1a0b9c8d7e6f5a4b3",
      "SIRI split 10:1 on 2024-09-10 #E5c2b1f0e3d4a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c",
      "AAPL dividend 0.205 USD (CD) ex 2020-08-07 #E8e3c4b3e9f0a1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6",
      "MSFT dividend 0.51 USD (CD) ex 2020-08-19 #Ea1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
      "COST dividend 10 USD (SC) ex 2020-12-01 #E0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9",
      "KO dividend 0.41 USD (CD) ex 2020-09-14 #E7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6");

  /** One request as the provider saw it. */
  private static final class Seen {
    final String target;
    final String authorization;
    final long nanos = System.nanoTime();

    Seen(HttpExchange x) {
      this.target = x.getRequestURI().toString();
      this.authorization = x.getRequestHeaders().getFirst("Authorization");
    }
  }

  /** A scripted answer in place of a page: a status (0 cuts the body short), one header, a body. */
  private static final class Fault {
    final int status;
    final String retryAfter;
    final String body;
    int times;

    Fault(int status, String retryAfter, String body, int times) {
      this.status = status;
      this.retryAfter = retryAfter;
      this.body = body;
      this.times = times;
    }
  }

  /** Serves the pages below, with faults injected per page ("splits:1", "dividends:dividends-3"). */
  private static final class Provider implements HttpHandler {
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final Map<String, Fault> faults = new ConcurrentHashMap<>();
    volatile String splitsNext;

    void reset() {
      seen.clear();
      faults.clear();
      splitsNext = null;
    }

    @Override
    public void handle(HttpExchange x) throws IOException {
      seen.add(new Seen(x));
      String query = x.getRequestURI().getRawQuery();
      String page = x.getRequestURI().getPath().replaceAll(".*/", "") + ":"
          + (query != null && query.startsWith("cursor=") ? query.substring("cursor=".length()) : "1");
      Fault f = faults.get(page);
      if (f != null && f.times > 0) {
        f.times--;
        if (f.status == 0) {
          // promises 1000 bytes, sends 10: closing the exchange then drops the connection mid-body
          x.sendResponseHeaders(200, 1000);
          x.getResponseBody().write("{\"results\"".getBytes(StandardCharsets.UTF_8));
          x.close();
          return;
        }
        if (f.retryAfter != null) {
          x.getResponseHeaders().set("Retry-After", f.retryAfter);
        }
        reply(x, f.status, f.body);
        return;
      }
      String body = page(page);
      reply(x, body == null ? 404 : 200, body == null ? "{\"status\":\"NOT_FOUND\"}" : body);
    }

    String page(String page) {
      switch (page) {
        case "splits:1":
          return "{\"status\":\"OK\",\"request_id\":\"6a7e466379af0a71039d60cc78e72282\",\"next_url\":\""
              + (splitsNext != null ? splitsNext : base + SPLITS + "?cursor=splits-2") + "\",\"results\":["
              + "{\"id\":\"E36416cce743c3964c5da63e1ef1626c0aece30fb47302eea5a49c0055c04e8d0\",\"ticker\":\"AAPL\","
              + "\"execution_date\":\"2020-08-31\",\"split_from\":1,\"split_to\":4},"
              + "{\"id\":\"E1b7d5ed1c9e20c3a4a4c6bb0d2b0f29b2c2f1c6a8f3e0a3a9b5d0a8c2f6e4b21\",\"ticker\":\"ODFL\","
              + "\"execution_date\":\"2020-03-25\",\"split_from\":2,\"split_to\":3},"
              + "{\"id\":\"E9a0c1f1d6c3b9b1d87a2e3b9bd5f6ab0f5c0b3e4f2c6d2e1a0b9c8d7e6f5a4b3\",\"ticker\":\"AAPL\","
              + "\"execution_date\":\"2020-08-31\",\"split_from\":1,\"split_to\":4}]}";
        case "splits:splits-2":
          return "{\"status\":\"OK\",\"request_id\":\"b2f1c1a0e5d64c1f9f0e0c4e7f3a2b19\",\"results\":["
              + "{\"id\":\"E5c2b1f0e3d4a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c\",\"ticker\":\"SIRI\","
              + "\"execution_date\":\"2024-09-10\",\"split_from\":10,\"split_to\":1}]}";
        case "dividends:1":
          return "{\"status\":\"OK\",\"request_id\":\"0d3a2f8b9c1e4d5a8b7c6d5e4f3a2b1c\",\"next_url\":\""
              + base + DIVIDENDS + "?cursor=dividends-2\",\"results\":["
              + dividend("E8e3c4b3e9f0a1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6", "AAPL", "0.205",
                  "CD", 4, "2020-07-30", "2020-08-07", "2020-08-10", "2020-08-13") + ","
              + dividend("Ea1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9", "MSFT", "0.51",
                  "CD", 4, "2020-06-17", "2020-08-19", "2020-08-20", "2020-09-10") + "]}";
        case "dividends:dividends-2":
          return "{\"status\":\"OK\",\"request_id\":\"7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f\",\"next_url\":\""
              + base + DIVIDENDS + "?cursor=dividends-3\",\"results\":["
              + dividend("E0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9", "COST", "10.0",
                  "SC", 0, "2020-11-17", "2020-12-01", "2020-12-02", "2020-12-11") + "]}";
        case "dividends:dividends-3":
          return "{\"status\":\"OK\",\"request_id\":\"3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b\",\"results\":["
              + dividend("E7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6", "KO", "0.41",
                  "CD", 4, "2020-07-16", "2020-09-14", "2020-09-15", "2020-10-01") + "]}";
        default:
          return null;
      }
    }
  }

  private static String dividend(String id, String ticker, String cash, String type, int frequency,
      String declared, String exDate, String record, String pay) {
    return "{\"id\":\"" + id + "\",\"ticker\":\"" + ticker + "\",\"cash_amount\":" + cash
        + ",\"currency\":\"USD\",\"declaration_date\":\"" + declared + "\",\"dividend_type\":\"" + type
        + "\",\"ex_dividend_date\":\"" + exDate + "\",\"frequency\":" + frequency + ",\"pay_date\":\"" + pay
        + "\",\"record_date\":\"" + record + "\"}";
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @BeforeAll
  static void startServers() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    provider = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    provider.createContext("/", PROVIDER);
    provider.start();
    base = "http://127.0.0.1:" + provider.getAddress().getPort();
    elsewhere = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    elsewhere.createContext("/", x -> {
      ELSEWHERE_HITS.add(x.getRequestURI().toString());
      reply(x, 200, "{\"results\":[]}");
    });
    elsewhere.start();
  }

  @AfterAll
  static void stopServers() {
    provider.stop(0);
    elsewhere.stop(0);
  }

  @BeforeEach
  void resetProvider() {
    PROVIDER.reset();
    ELSEWHERE_HITS.clear();
  }

  private static RestActions client() {
    return RestActions.of(base + "/", VAR, KEY);
  }

  private static List<String> described(List<CorporateAction> events) {
    return events.stream().map(e -> e + " #" + e.id).collect(Collectors.toList());
  }

  private static List<String> targets() {
    return PROVIDER.seen.stream().map(s -> s.target).collect(Collectors.toList());
  }

  private static void fault(String page, int status, String retryAfter, String body, int times) {
    PROVIDER.faults.put(page, new Fault(status, retryAfter, body, times));
  }

  @Test
  void fetchesEveryPageOfSplitsThenDividendsWithTheKeyOnlyInTheHeader() throws IOException {
    RestActions.Fetched f = client().fetch(FROM, TO);

    assertThat(described(f.events), equalTo(EXPECTED));
    assertThat(f.requests, equalTo(5));
    assertThat(f.retries, equalTo(0));
    assertThat(targets(), contains(
        SPLITS + "?execution_date.gte=2020-01-01&execution_date.lte=2024-12-31&limit=1000",
        SPLITS + "?cursor=splits-2",
        DIVIDENDS + "?ex_dividend_date.gte=2020-01-01&ex_dividend_date.lte=2024-12-31&limit=1000",
        DIVIDENDS + "?cursor=dividends-2",
        DIVIDENDS + "?cursor=dividends-3"));
    assertThat(PROVIDER.seen.stream().map(s -> s.authorization).collect(Collectors.toList()),
        everyItem(equalTo("Bearer " + KEY)));
    assertThat(targets(), everyItem(not(containsString(KEY))));
  }

  @Test
  void retriesA429AfterItsRetryAfterAndA503ThenReturnsEverything() throws IOException {
    fault("splits:splits-2", 429, "1", "{\"status\":\"ERROR\",\"error\":\"too many requests\"}", 1);
    fault("dividends:dividends-3", 503, null, null, 1);

    RestActions.Fetched f = client().fetch(FROM, TO);

    assertThat(described(f.events), equalTo(EXPECTED));
    assertThat(f.retries, equalTo(2));
    assertThat(f.requests, equalTo(7));
    List<String> targets = targets();
    assertThat(targets.get(1), equalTo(SPLITS + "?cursor=splits-2"));
    assertThat(targets.get(2), equalTo(SPLITS + "?cursor=splits-2"));
    long waitedNanos = PROVIDER.seen.get(2).nanos - PROVIDER.seen.get(1).nanos;
    assertThat(Duration.ofNanos(waitedNanos), greaterThanOrEqualTo(Duration.ofSeconds(1)));
    assertThat(PROVIDER.seen.stream().map(s -> s.authorization).collect(Collectors.toList()),
        everyItem(equalTo("Bearer " + KEY)));
  }

  @Test
  void retriesAConnectionDroppedMidBody() throws IOException {
    fault("dividends:dividends-2", 0, null, null, 1);

    RestActions.Fetched f = client().withMaxWait(Duration.ofMillis(10)).fetch(FROM, TO);

    assertThat(described(f.events), equalTo(EXPECTED));
    assertThat(f.retries, equalTo(1));
    assertThat(f.requests, equalTo(6));
    assertThat(PROVIDER.seen, hasSize(6));
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403})
  void failsAtOnceNamingTheKeyVariableWhenTheKeyIsRefused(int status) {
    fault("splits:1", status, null, "{\"status\":\"ERROR\",\"error\":\"Unknown API Key\"}", Integer.MAX_VALUE);

    IOException e = assertThrows(IOException.class, () -> client().fetch(FROM, TO));

    assertThat(e.getMessage(), equalTo("the provider refused the API key in POLYGON_API_KEY (HTTP " + status
        + "): set a valid key, or use --corporateActions=none or a folder"));
    assertThat(e.getMessage(), not(containsString(KEY)));
    assertThat(PROVIDER.seen, hasSize(1));
  }

  @Test
  void failsOnAnotherClientErrorNamingStatusAndPath() {
    fault("dividends:1", 404, null, null, Integer.MAX_VALUE);

    IOException e = assertThrows(IOException.class, () -> client().fetch(FROM, TO));

    assertThat(e.getMessage(), equalTo("GET " + DIVIDENDS + ": HTTP 404 from the provider"));
    assertThat(PROVIDER.seen, hasSize(3));
  }

  @Test
  void refusesANextUrlOnAnotherOriginWithoutSendingItTheKey() {
    PROVIDER.splitsNext = "http://127.0.0.1:" + elsewhere.getAddress().getPort() + SPLITS + "?cursor=splits-2";

    IOException e = assertThrows(IOException.class, () -> client().fetch(FROM, TO));

    assertThat(e.getMessage(), containsString("next_url points to http://127.0.0.1:"
        + elsewhere.getAddress().getPort()));
    assertThat(e.getMessage(), not(containsString(KEY)));
    assertThat(ELSEWHERE_HITS, empty());
    assertThat(PROVIDER.seen, hasSize(1));
  }

  @Test
  void stopsWhenNextUrlLeadsBackToAnEarlierPage() {
    PROVIDER.splitsNext = base + SPLITS + "?execution_date.gte=2020-01-01&execution_date.lte=2024-12-31&limit=1000";

    IOException e = assertThrows(IOException.class, () -> client().fetch(FROM, TO));

    assertThat(e.getMessage(), equalTo(SPLITS + " page 2: next_url repeats an earlier page; stopped"));
    assertThat(PROVIDER.seen, hasSize(1));
  }

  @Test
  void givesUpAfterEightAttemptsNamingThePathAndTheLastStatus() {
    fault("splits:1", 500, null, null, Integer.MAX_VALUE);

    IOException e = assertThrows(IOException.class,
        () -> client().withMaxWait(Duration.ofMillis(10)).fetch(FROM, TO));

    assertThat(e.getMessage(), equalTo("GET " + SPLITS + " failed 8 times; last: HTTP 500"));
    assertThat(PROVIDER.seen, hasSize(8));
  }

  @Test
  void propagatesAnUnreadablePageNamingItsPath() {
    fault("dividends:dividends-2", 200, null, "<html><body>502 Bad Gateway</body></html>", 1);

    IOException e = assertThrows(IOException.class, () -> client().fetch(FROM, TO));

    assertThat(e.getMessage(), containsString(DIVIDENDS + " page 2: not JSON"));
  }

  @Test
  void refusesAKeyThatCannotBeAHeaderWithoutQuotingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RestActions.of(base, VAR, KEY + "\r\nX-Evil: 1"));

    assertThat(e.getMessage(), containsString(VAR));
    assertThat(e.getMessage(), not(containsString(KEY)));
  }

  @Test
  void sameOriginComparesSchemeHostAndEffectivePort() {
    URI endpoint = URI.create("https://api.polygon.io");
    assertThat(RestActions.sameOrigin(endpoint, URI.create("https://API.polygon.io:443/v3/reference/splits?cursor=x")),
        equalTo(true));
    assertThat(RestActions.sameOrigin(endpoint, URI.create("http://api.polygon.io/v3/reference/splits")),
        equalTo(false));
    assertThat(RestActions.sameOrigin(endpoint, URI.create("https://api.polygon.io:8443/v3")), equalTo(false));
    assertThat(RestActions.sameOrigin(endpoint, URI.create("https://api.polygon.io.evil.example/v3")),
        equalTo(false));
  }

  @Test
  void delaysHonourRetryAfterInSecondsOrAsADateElseBackOffAndNeverExceedTheCap() {
    Instant now = Instant.parse("2024-06-03T14:00:00Z");
    Duration cap = Duration.ofSeconds(60);
    String in5s = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(5).atOffset(ZoneOffset.UTC));
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.minusSeconds(30).atOffset(ZoneOffset.UTC));

    assertThat(RestActions.delay("1", 3, cap, now), equalTo(Duration.ofSeconds(1)));
    assertThat(RestActions.delay(in5s, 0, cap, now), equalTo(Duration.ofSeconds(5)));
    assertThat(RestActions.delay(past, 0, cap, now), equalTo(Duration.ZERO));
    assertThat(RestActions.delay("3600", 0, cap, now), equalTo(cap));
    assertThat(RestActions.delay("soon", 2, cap, now), equalTo(Duration.ofSeconds(4)));
    assertThat(List.of(0, 1, 2, 5, 6, 40).stream().map(r -> RestActions.delay(null, r, cap, now).getSeconds())
        .collect(Collectors.toList()), contains(1L, 2L, 4L, 32L, 60L, 60L));
  }
}
