package com.quantmini.io.actions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.adjust.CorporateAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events kept in the lake read back as written; a folder source must hold both files. */
class ActionsLakeTest {
  @TempDir
  Path tmp;

  @Test
  void eventsRoundTripWithWhetherTheyWereAppliedAndWhereTheyCameFrom() throws IOException {
    Instant at = Instant.parse("2024-06-03T21:00:00Z");
    List<ActionsLake.Row> rows = List.of(
        new ActionsLake.Row(CorporateAction.split("NVDA", LocalDate.of(2024, 6, 10), 1, 10, "E1"), true, "rest", at),
        new ActionsLake.Row(CorporateAction.dividend("MSFT", LocalDate.of(2024, 5, 15), 0.75, "USD", "CD", "D1"),
            false, "rest", at),
        new ActionsLake.Row(CorporateAction.split("ODD", LocalDate.of(2024, 1, 2), 2, 3, ""), true, "/data", at));
    String file = tmp.resolve("bronze/corporate_actions/stocks_daily.parquet").toString();
    ActionsLake.write(rows, file);
    List<ActionsLake.Row> back = ActionsLake.read(file);
    assertThat(back.size(), is(3));
    for (int i = 0; i < rows.size(); i++) {
      assertThat(back.get(i).event, is(rows.get(i).event));
      assertThat(back.get(i).event.id, is(rows.get(i).event.id));
      assertThat(back.get(i).applied, is(rows.get(i).applied));
      assertThat(back.get(i).source, is(rows.get(i).source));
      assertThat(back.get(i).fetchedAt, is(at));
    }
    assertThat(back.get(1).event.cashAmount, is(0.75));
    assertThat(back.get(2).event.ratio(), is(1.5));
    assertThat(ActionsLake.read(tmp.resolve("none.parquet").toString()), nullValue());
  }

  @Test
  void aFolderWithoutItsDividendsFileIsAnErrorNotNoDividends() throws IOException {
    Files.writeString(tmp.resolve("splits.json"), "{\"results\": [{\"ticker\": \"A\", \"execution_date\": "
        + "\"2024-01-05\", \"split_from\": 1, \"split_to\": 4}]}");
    IOException e = assertThrows(IOException.class, () -> FolderActions.load(tmp.toString()));
    assertThat(e.getMessage(), containsString("dividends.json is missing"));
    Files.writeString(tmp.resolve("dividends.json"), "{\"results\": [{\"ticker\": \"A\"}]}");
    e = assertThrows(IOException.class, () -> FolderActions.load(tmp.toString()));
    assertThat(e.getMessage(), containsString("result 0: no ex_dividend_date"));
  }
}
