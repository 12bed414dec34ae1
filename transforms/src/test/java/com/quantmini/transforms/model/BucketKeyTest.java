package com.quantmini.transforms.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.quantmini.transforms.WindowedFeatures;
import org.junit.jupiter.api.Test;

class BucketKeyTest {
  @Test
  void keysParseFormatAndMoveToAnotherDataset() {
    BucketKey k = BucketKey.parse("options_daily/17");
    assertThat(k.dataset(), is(Dataset.options_daily));
    assertThat(k.number(), is(17));
    assertThat(k.toString(), is("options_daily/17"));
    assertThat(k.in(Dataset.stocks_daily).toString(), is("stocks_daily/17"));
  }

  @Test
  void aContractIsInItsUnderlyingsBucket() {
    String stock = WindowedFeatures.bucketKey(Dataset.stocks_daily, "AAPL", 32);
    String option = WindowedFeatures.bucketKey(Dataset.options_daily, "O:AAPL240119C00190000", 32);
    assertThat(BucketKey.parse(option).in(Dataset.stocks_daily).toString(), is(stock));
    assertThat(BucketKey.parse(stock).number(), is(Math.floorMod("AAPL".hashCode(), 32)));
  }

  @Test
  void anythingElseIsRefusedByName() {
    for (String bad : new String[] {"stocks_daily", "stocks_daily/x", "stock_daily/3", "stocks_daily/-1", "/3"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BucketKey.parse(bad));
      assertThat(bad, e.getMessage(), containsString("'" + bad + "'"));
    }
  }
}
