package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.quantmini.transforms.model.BarBlock;
import com.quantmini.transforms.model.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SessionAssemblerTest {
  private static final String SRC = "us_stocks_sip/minute_aggs_v1/2024/01/2024-01-05.csv.gz";
  private final List<DeadLetter> rejected = new ArrayList<>();

  /** A bar row "TICKER@minute:close:line". */
  private static BarBlock block(String... rows) {
    BarBlock.Builder b = BarBlock.builder("stocks_minute", SRC, "2024-01-05", rows.length);
    for (String r : rows) {
      String[] f = r.split("[@:]");
      double c = Double.parseDouble(f[2]);
      b.add(f[0], Long.parseLong(f[1]), c, c, c, c, 100, 7, Integer.parseInt(f[3]));
    }
    return b.build();
  }

  private static List<String> rows(BarBlock b) {
    return IntStream.range(0, b.size())
        .mapToObj(i -> b.ticker(i) + "@" + b.windowStart(i) + ":" + b.close(i) + ":" + b.line(i))
        .collect(Collectors.toList());
  }

  @Test
  void sortsRowsOfAllBlocksByTickerThenWindowStart() {
    SessionAssembler.Result r = SessionAssembler.assemble(List.of(
        block("SPY@3:1.0:2", "AAPL@2:2.0:3", "aapl@1:3.0:4"),
        block("AAPL@1:4.0:5", "SPY@1:5.0:6", "ADSw@9:6.0:7"),
        block("ADSW@9:7.0:8")), rejected::add);
    assertThat(rows(r.block), contains("AAPL@1:4.0:5", "AAPL@2:2.0:3", "ADSW@9:7.0:8",
        "ADSw@9:6.0:7", "SPY@1:5.0:6", "SPY@3:1.0:2", "aapl@1:3.0:4"));
    assertThat(r.block.source(), equalTo(SRC));
    assertThat(r.block.session(), equalTo("2024-01-05"));
    assertThat(rejected, empty());
    assertThat(r.exactDuplicates, equalTo(0));
  }

  @Test
  void keepsExactDuplicateOnceFromItsFirstLine() {
    SessionAssembler.Result r = SessionAssembler.assemble(List.of(
        block("DUPC@5:1.5:9", "AAPL@5:1.0:2"), block("DUPC@5:1.5:4")), rejected::add);
    assertThat(rows(r.block), contains("AAPL@5:1.0:2", "DUPC@5:1.5:4"));
    assertThat(r.exactDuplicates, equalTo(1));
    assertThat(r.conflicting, equalTo(0));
    assertThat(rejected, empty());
  }

  @Test
  void rejectsEveryCopyOfAConflictingDuplicateWithItsOwnLine() {
    SessionAssembler.Result r = SessionAssembler.assemble(List.of(
        block("MSFT@5:1.5:3", "SPY@5:2.0:4"), block("MSFT@5:1.5:8", "MSFT@5:1.6:6")),
        rejected::add);
    assertThat(rows(r.block), contains("SPY@5:2.0:4"));
    assertThat(r.conflicting, equalTo(3));
    assertThat(rejected.stream().map(d -> d.getReason() + "@" + d.getLine() + ":" + d.getRaw())
            .collect(Collectors.toList()),
        contains("DUPLICATE_CONFLICT@3:MSFT,100,1.5,1.5,1.5,1.5,5,7",
            "DUPLICATE_CONFLICT@6:MSFT,100,1.6,1.6,1.6,1.6,5,7",
            "DUPLICATE_CONFLICT@8:MSFT,100,1.5,1.5,1.5,1.5,5,7"));
    assertThat(rejected.get(0).getSource(), equalTo(SRC));
  }

  @Test
  void treatsDifferentTransactionsAsAConflict() {
    BarBlock.Builder b = BarBlock.builder("stocks_minute", SRC, "2024-01-05", 2);
    b.add("X", 1, 1, 1, 1, 1, 1, 5, 2).add("X", 1, 1, 1, 1, 1, 1, BarBlock.NO_VALUE, 3);
    SessionAssembler.Result r = SessionAssembler.assemble(List.of(b.build()), rejected::add);
    assertThat(r.block.size(), equalTo(0));
    assertThat(rejected.stream().map(DeadLetter::getRaw).collect(Collectors.toList()),
        contains("X,1,1,1,1,1,1,5", "X,1,1,1,1,1,1,"));
  }

  @Test
  void isStableOnTiesAcrossBlocks() {
    // Same ticker and time, same values: the one kept is the lowest line, whichever block holds it.
    SessionAssembler.Result r = SessionAssembler.assemble(List.of(
        block("Z@1:1.0:30", "A@2:1.0:31"), block("Z@1:1.0:12", "A@1:1.0:13"),
        block("Z@1:1.0:20")), rejected::add);
    assertThat(rows(r.block), contains("A@1:1.0:13", "A@2:1.0:31", "Z@1:1.0:12"));
    assertThat(r.exactDuplicates, equalTo(2));
  }

  @Test
  void sortsLargeShuffledInputLikeASortedCopy() {
    List<String> in = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      in.add("T" + (char) ('A' + (i * 7) % 5) + "@" + ((i * 13) % 11) + ":1.0:" + (i + 2));
    }
    SessionAssembler.Result r = SessionAssembler.assemble(
        List.of(block(in.subList(0, 9).toArray(new String[0])),
            block(in.subList(9, 20).toArray(new String[0]))), rejected::add);
    List<String> out = rows(r.block);
    List<String> sorted = new ArrayList<>(out);
    sorted.sort((a, b) -> {
      String[] x = a.split("[@:]");
      String[] y = b.split("[@:]");
      int c = x[0].compareTo(y[0]);
      return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    });
    assertThat(out, equalTo(sorted));
    assertThat(out.size() + r.exactDuplicates, equalTo(20));
  }
}
