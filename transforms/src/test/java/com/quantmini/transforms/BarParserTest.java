package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.CsvChunk;
import com.quantmini.transforms.model.Dataset;
import com.quantmini.transforms.model.DeadLetter;
import com.quantmini.transforms.model.FileKey;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarParserTest {
  private static final String CANONICAL = "ticker,volume,open,close,high,low,window_start,transactions";
  private static final FileKey STOCKS_DAY = file(Dataset.stocks_daily, "2024-01-05");
  private static final FileKey STOCKS_MINUTE = file(Dataset.stocks_minute, "2024-01-05");
  private static final FileKey OPTIONS_DAY = file(Dataset.options_daily, "2024-01-03");

  private final List<DeadLetter> rejected = new ArrayList<>();

  private static FileKey file(Dataset ds, String session) {
    String key = ds.prefix() + "/" + session.substring(0, 4) + "/" + session.substring(5, 7) + "/"
        + session + ".csv.gz";
    return FileKey.of(ds, key, "/in/" + key, session, 100, "etag");
  }

  /** ns since the epoch of a New York local time like "2024-01-05T09:30". */
  private static long ny(String local) {
    return LocalDateTime.parse(local).atZone(ZoneId.of("America/New_York")).toEpochSecond()
        * 1_000_000_000L;
  }

  private static int[] columnsOf(String header) {
    List<String> names = Arrays.asList(header.split(","));
    int[] cols = new int[CsvChunk.COLUMNS.length];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = names.indexOf(CsvChunk.COLUMNS[c]);
    }
    return cols;
  }

  private BarBlock parse(FileKey f, String header, int firstLine, String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    int lines = (int) data.chars().filter(ch -> ch == '\n').count();
    return BarParser.parse(CsvChunk.data(f, firstLine, lines, bytes, columnsOf(header),
        header.split(",").length), rejected::add);
  }

  private BarBlock parse(FileKey f, String... rows) {
    return parse(f, CANONICAL, 2, String.join("\n", rows) + "\n");
  }

  /** A valid day row of STOCKS_DAY with one field replaced: index in canonical order. */
  private static String day(String ticker) {
    return ticker + ",1000,10.5,10.75,11,10," + ny("2024-01-05T00:00") + ",42";
  }

  private static String with(String row, int field, String value) {
    String[] f = row.split(",", -1);
    f[field] = value;
    return String.join(",", f);
  }

  /** Parses one bad row at line 7 and returns "REASON@line:raw" of the single rejection. */
  private String rejectionOf(FileKey f, String row) {
    BarBlock b = parse(f, CANONICAL, 7, row + "\n");
    assertThat(b.size(), equalTo(0));
    assertThat(rejected.size(), equalTo(1));
    DeadLetter d = rejected.get(0);
    assertThat(d.getSource(), equalTo(f.getKey()));
    assertThat(d.getSession(), equalTo(f.getSession()));
    assertThat(d.getDataset(), equalTo(f.getDataset()));
    return d.getReason() + "@" + d.getLine() + ":" + d.getRaw();
  }

  private static String r(String reason, String raw) {
    return reason + "@7:" + raw;
  }

  @Test
  void rejectsRowWithWrongColumnCount() {
    assertThat(rejectionOf(STOCKS_DAY, "AAPL,1,2,3"), equalTo(r("WRONG_COLUMN_COUNT", "AAPL,1,2,3")));
    String extra = day("AAPL") + ",9";
    rejected.clear();
    assertThat(rejectionOf(STOCKS_DAY, extra), equalTo(r("WRONG_COLUMN_COUNT", extra)));
  }

  @Test
  void rejectsRowWithEmptyRequiredField() {
    String row = with(day("AAPL"), CsvChunk.CLOSE, "");
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("EMPTY_FIELD", row)));
  }

  @Test
  void rejectsRowWithEmptyTicker() {
    String row = day("");
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("EMPTY_FIELD", row)));
  }

  @Test
  void rejectsRowWithUnparsableNumber() {
    String row = with(day("AAPL"), CsvChunk.VOLUME, "12x");
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("BAD_NUMBER", row)));
  }

  @Test
  void rejectsRowWithFractionalWindowStart() {
    String row = with(day("AAPL"), CsvChunk.WINDOW_START, ny("2024-01-05T00:00") + ".5");
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("BAD_NUMBER", row)));
  }

  @Test
  void rejectsRowWithNanOpen() {
    String row = with(day("AAPL"), CsvChunk.OPEN, "NaN");
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("NOT_FINITE", row)));
  }

  @Test
  void rejectsRowWithInfHigh() {
    String row = with(day("AAPL"), CsvChunk.HIGH, "inf");
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("NOT_FINITE", row)));
  }

  @Test
  void rejectsRowWhenTickerContainsPathCharacters() {
    for (String t : new String[] {"A/B", "A\\B", "..X", "BR K"}) {
      rejected.clear();
      assertThat(rejectionOf(STOCKS_DAY, day(t)), equalTo(r("BAD_TICKER", day(t))));
    }
  }

  @Test
  void rejectsRowWithNegativePrice() {
    String row = with(day("AAPL"), CsvChunk.LOW, "-10");
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("NEGATIVE_PRICE", row)));
  }

  @Test
  void rejectsRowWithNegativeVolume() {
    String row = with(day("AAPL"), CsvChunk.VOLUME, "-1000");
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("NEGATIVE_VOLUME", row)));
  }

  @Test
  void rejectsRowWhenHighBelowLow() {
    String row = "XHBL,1000,10.5,10.5,9,11," + ny("2024-01-05T00:00") + ",1";
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("HIGH_BELOW_LOW", row)));
  }

  @Test
  void rejectsRowWhenCloseAboveHigh() {
    String row = with(day("AAPL"), CsvChunk.CLOSE, "11.01");
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("OPEN_CLOSE_OUTSIDE_RANGE", row)));
  }

  @Test
  void rejectsRowDatedOnAnotherNewYorkDay() {
    String row = with(day("AAPL"), CsvChunk.WINDOW_START, Long.toString(ny("2024-01-04T23:59")));
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("WRONG_SESSION", row)));
    rejected.clear();
    String next = with(day("AAPL"), CsvChunk.WINDOW_START, Long.toString(ny("2024-01-06T00:00")));
    assertThat(rejectionOf(STOCKS_DAY, next), equalTo(r("WRONG_SESSION", next)));
  }

  @Test
  void rejectsSeventeenDigitWindowStartAsWrongSession() {
    String row = with(day("MSFT"), CsvChunk.WINDOW_START, "16800192000000000");
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("WRONG_SESSION", row)));
  }

  @Test
  void rejectsMalformedOptionsTickerOnlyInOptionsDatasets() {
    String row = "O:SPY24011C00470000,10,1.5,1.6,1.7,1.4," + ny("2024-01-03T00:00") + ",3";
    assertThat(rejectionOf(OPTIONS_DAY, row), equalTo(r("BAD_OPTIONS_TICKER", row)));
    rejected.clear();
    String stock = "O:SPY24011C00470000,10,1.5,1.6,1.7,1.4," + ny("2024-01-05T00:00") + ",3";
    assertThat(parse(STOCKS_DAY, stock).size(), equalTo(1));
  }

  @Test
  void acceptsValidOptionsTickers() {
    BarBlock b = parse(OPTIONS_DAY,
        "O:SPY240119C00470000,10,1.5,1.6,1.7,1.4," + ny("2024-01-03T00:00") + ",3",
        "O:SDS1240119C00030000,10,1.5,1.6,1.7,1.4," + ny("2024-01-03T00:00") + ",3");
    assertThat(rejected, empty());
    assertThat(b.size(), equalTo(2));
  }

  @Test
  void reportsEmptyFieldBeforeBadNumberAndBadTicker() {
    String row = "A B,x,,10.75,11,10," + ny("2024-01-05T00:00") + ",42";
    assertThat(rejectionOf(STOCKS_DAY, row), equalTo(r("EMPTY_FIELD", row)));
  }

  @Test
  void reportsBadNumberAndNotFiniteBeforeBadTicker() {
    String bad = with(day("A B"), CsvChunk.OPEN, "1..5");
    assertThat(rejectionOf(STOCKS_DAY, bad), equalTo(r("BAD_NUMBER", bad)));
    rejected.clear();
    String nan = with(day("A B"), CsvChunk.OPEN, "NaN");
    assertThat(rejectionOf(STOCKS_DAY, nan), equalTo(r("NOT_FINITE", nan)));
  }

  @Test
  void keepsExactValuesOfGoodRows() {
    long t = ny("2024-01-05T00:00");
    BarBlock b = parse(STOCKS_DAY,
        "ADSw,58414460.7,184.22,181.18,186.4,180.93," + t + ",658341",
        "ADSW,3012345678,0.16,0.1601,0.17,0.15," + t + ",",
        "aapl,9,26.7662,62.565,62.565,26.7662," + t + ",0");
    assertThat(rejected, empty());
    assertThat(b.size(), equalTo(3));
    assertThat(b.ticker(0), equalTo("ADSw"));
    assertThat(b.volume(0), equalTo(58414460.7));
    assertThat(b.open(0), equalTo(184.22));
    assertThat(b.close(0), equalTo(181.18));
    assertThat(b.high(0), equalTo(186.4));
    assertThat(b.low(0), equalTo(180.93));
    assertThat(b.windowStart(0), equalTo(t));
    assertThat(b.transactions(0), equalTo(658341L));
    assertThat(b.line(0), equalTo(2));
    assertThat(b.ticker(1), equalTo("ADSW"));
    assertThat(b.volume(1), equalTo(3012345678.0));
    assertThat(b.hasTransactions(1), equalTo(false));
    assertThat(b.transactions(1), equalTo(BarBlock.NO_VALUE));
    assertThat(b.ticker(2), equalTo("aapl"));
    assertThat(b.open(2), equalTo(26.7662));
    assertThat(b.close(2), equalTo(62.565));
    assertThat(b.transactions(2), equalTo(0L));
    assertThat(b.line(2), equalTo(4));
  }

  @Test
  void stripsCarriageReturnsOfCrlfLines() {
    long t = ny("2024-01-05T00:00");
    String bad = "BAD,-1,1,1,1,1," + t + ",1";
    BarBlock b = parse(STOCKS_DAY, CANONICAL, 10, "SPY,100,470,471,472,469," + t + ",77\r\n" + bad + "\r\n");
    assertThat(b.size(), equalTo(1));
    assertThat(b.transactions(0), equalTo(77L));
    assertThat(b.line(0), equalTo(10));
    assertThat(rejected.size(), equalTo(1));
    assertThat(rejected.get(0).getRaw(), equalTo(bad));
    assertThat(rejected.get(0).getLine(), equalTo(11L));
  }

  @Test
  void mapsColumnsByHeaderNameInAnyOrder() {
    String header = "window_start,close,ticker,transactions,low,high,open,volume";
    long t = ny("2024-01-05T00:00");
    BarBlock b = parse(STOCKS_DAY, header, 2, t + ",10.75,AAPL,42,10,11,10.5,1000\n");
    assertThat(rejected, empty());
    assertThat(b.ticker(0), equalTo("AAPL"));
    assertThat(b.open(0), equalTo(10.5));
    assertThat(b.high(0), equalTo(11.0));
    assertThat(b.low(0), equalTo(10.0));
    assertThat(b.close(0), equalTo(10.75));
    assertThat(b.volume(0), equalTo(1000.0));
    assertThat(b.windowStart(0), equalTo(t));
    assertThat(b.transactions(0), equalTo(42L));
  }

  @Test
  void acceptsFilesWithoutTransactionsColumn() {
    String header = "ticker,volume,open,close,high,low,window_start";
    BarBlock b = parse(STOCKS_DAY, header, 2, "AAPL,1000,10.5,10.75,11,10," + ny("2024-01-05T00:00") + "\n");
    assertThat(rejected, empty());
    assertThat(b.transactions(0), equalTo(BarBlock.NO_VALUE));
  }

  @Test
  void acceptsEveningMinuteThatIsTheNextUtcDay() {
    long evening = ny("2024-01-05T19:59");
    long first = ny("2024-01-05T00:00");
    long last = ny("2024-01-06T00:00") - 1;
    BarBlock b = parse(STOCKS_MINUTE,
        "SPY,100,470,470,470,470," + evening + ",1",
        "SPY,100,470,470,470,470," + first + ",1",
        "SPY,100,470,470,470,470," + last + ",1");
    assertThat(rejected, empty());
    assertThat(b.size(), equalTo(3));
    assertThat(evening, equalTo(1_704_502_740_000_000_000L)); // 2024-01-06T00:59Z
  }

  @Test
  void acceptsSummerDayBarAt1600Edt() {
    FileKey f = file(Dataset.stocks_daily, "2023-03-28");
    BarBlock b = parse(f, "BCC,1000,10.5,10.75,11,10," + ny("2023-03-28T16:00") + ",42");
    assertThat(rejected, empty());
    assertThat(b.windowStart(0), equalTo(1_680_033_600_000_000_000L));
  }

  @Test
  void numbersLinesFromTheChunksFirstLine() {
    long t = ny("2024-01-05T00:00");
    parse(STOCKS_DAY, CANONICAL, 100, day("A") + "\n" + "garbage\n" + day("B") + "\n" + "x,y\n");
    assertThat(rejected.stream().map(d -> d.getLine() + ":" + d.getRaw()).toList(),
        contains("101:garbage", "103:x,y"));
    assertThat(t, equalTo(ny("2024-01-05T00:00")));
  }

  @Test
  void parsesAnUnterminatedLastLine() {
    BarBlock b = parse(STOCKS_DAY, CANONICAL, 2, day("A") + "\n" + day("B"));
    assertThat(b.size(), equalTo(2));
    assertThat(b.ticker(1), equalTo("B"));
    assertThat(b.line(1), equalTo(3));
  }
}
