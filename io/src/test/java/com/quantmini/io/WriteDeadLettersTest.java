package com.quantmini.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.quantmini.transforms.model.DeadLetter;
import com.quantmini.transforms.model.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteDeadLettersTest {
  private final transient TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
  @TempDir Path tmp;

  private static final String SRC = "us_stocks_sip/day_aggs_v1/2024/01/2024-01-05.csv.gz";

  private static DeadLetter letter(String session, long line, Reason reason, String raw) {
    return DeadLetter.of("stocks_daily", SRC, session, line, reason, "detail " + line, raw);
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertThat(WriteDeadLetters.json("a\"b\\c"), equalTo("\"a\\\"b\\\\c\""));
    assertThat(WriteDeadLetters.json("t\tn\nr\r"), equalTo("\"t\\tn\\nr\\r\""));
    assertThat(WriteDeadLetters.json("\u0000\u001f\u007f"), equalTo("\"\\u0000\\u001f\\u007f\""));
    assertThat(WriteDeadLetters.json("é/ü"), equalTo("\"é/ü\""));
  }

  @Test
  void writesOneJsonLinesFilePerSessionSortedByLine() throws Exception {
    String root = tmp.toString();
    PAssert.that(p
            .apply("Letters", Create.of(
                letter("2024-01-05", 9, Reason.BAD_NUMBER, "X,\"1\",\\"),
                letter("2024-01-05", 3, Reason.NOT_FINITE, "Y,NaN"),
                letter("2024-01-08", 0, Reason.CORRUPT_GZIP, ""),
                letter("2024-01-05", 12, Reason.BAD_TICKER, "A\tB")))
            .apply("WriteDeadLetters", WriteDeadLetters.to(root)))
        .containsInAnyOrder(
            root + "/quarantine/stocks_daily/year=2024/month=01/2024-01-05.jsonl",
            root + "/quarantine/stocks_daily/year=2024/month=01/2024-01-08.jsonl");
    p.run().waitUntilFinish();
    Path jan5 = tmp.resolve("quarantine/stocks_daily/year=2024/month=01/2024-01-05.jsonl");
    assertThat(Files.readAllLines(jan5, StandardCharsets.UTF_8), contains(
        "{\"dataset\":\"stocks_daily\",\"source\":\"" + SRC + "\",\"session\":\"2024-01-05\",\"line\":3,"
            + "\"reason\":\"NOT_FINITE\",\"detail\":\"detail 3\",\"raw\":\"Y,NaN\"}",
        "{\"dataset\":\"stocks_daily\",\"source\":\"" + SRC + "\",\"session\":\"2024-01-05\",\"line\":9,"
            + "\"reason\":\"BAD_NUMBER\",\"detail\":\"detail 9\",\"raw\":\"X,\\\"1\\\",\\\\\"}",
        "{\"dataset\":\"stocks_daily\",\"source\":\"" + SRC + "\",\"session\":\"2024-01-05\",\"line\":12,"
            + "\"reason\":\"BAD_TICKER\",\"detail\":\"detail 12\",\"raw\":\"A\\tB\"}"));
    Path jan8 = tmp.resolve("quarantine/stocks_daily/year=2024/month=01/2024-01-08.jsonl");
    assertThat(Files.readString(jan8), equalTo(
        "{\"dataset\":\"stocks_daily\",\"source\":\"" + SRC + "\",\"session\":\"2024-01-08\",\"line\":0,"
            + "\"reason\":\"CORRUPT_GZIP\",\"detail\":\"detail 0\",\"raw\":\"\"}\n"));
  }
}
