package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsTickerTest {

  private static void assertContract(String ticker, String root, String expiration, String type,
      double strike) {
    OptionsTicker t = OptionsTicker.parse(ticker);
    assertThat(t.underlying(), equalTo(root));
    assertThat(t.expiration(), equalTo(LocalDate.parse(expiration)));
    assertThat(t.contractType(), equalTo(type));
    assertThat(t.isCall(), equalTo(type.equals("call")));
    assertThat(t.strike(), equalTo(strike));
  }

  @Test
  void parsesAPlainPut() {
    assertContract("O:SPY230327P00390000", "SPY", "2023-03-27", "put", 390.0);
  }

  @Test
  void parsesAnAdjustedRootEndingInADigit() {
    assertContract("O:SDS1220204C00003000", "SDS1", "2022-02-04", "call", 3.0);
  }

  @Test
  void parsesAFourLetterRootWithFractionalDigitsInTheStrike() {
    assertContract("O:LGFA221216P00005000", "LGFA", "2022-12-16", "put", 5.0);
    assertContract("O:NANOS230327C00400000", "NANOS", "2023-03-27", "call", 400.0);
    assertContract("O:SPXW240119C04712500", "SPXW", "2024-01-19", "call", 4712.5);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "O:SPY230230P00390000",   // 30 February
      "O:SPY231301P00390000",   // month 13
      "SPY230327P00390000",     // no O: prefix
      "o:SPY230327P00390000",   // lower-case prefix
      "O:spy230327P00390000",   // lower-case root
      "O:SPY230327X00390000",   // neither C nor P
      "O:SPY230327P0039000",    // 7-digit strike
      "O:230327P00390000",      // no root
      "O:SPY230327P0039000A",   // letter in the strike
      "O:1SPY230327P00390000",  // root must start with a letter
      "O:SP1Y230327P00390000",  // a digit only at the end of the root
      "O:ABCDEFG230327P00390000", // root longer than 6
      "O:SPY"})
  void rejectsTickersThatDoNotFollowTheOccLayout(String ticker) {
    assertThat(OptionsTicker.parse(ticker), nullValue());
  }
}
