package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.quantmini.transforms.model.Dataset;
import org.junit.jupiter.api.Test;

class QlibNamesTest {

  private static String instrument(String ticker) {
    return QlibNames.instrument(ticker, Dataset.stocks_daily);
  }

  private static String dir(String ticker) {
    return QlibNames.directory(instrument(ticker));
  }

  @Test
  void escapesLowerCaseLettersSoCaseVariantsStayApart() {
    assertThat(instrument("ADSw"), equalTo("ADS_W"));
    assertThat(dir("ADSw"), equalTo("ads_w"));
    assertThat(instrument("ADSW"), equalTo("ADSW"));
    assertThat(dir("ADSW"), equalTo("adsw"));
  }

  @Test
  void prefixesWindowsDeviceNamesLikeQlib() {
    assertThat(instrument("CON"), equalTo("CON"));
    assertThat(dir("CON"), equalTo("_qlib_con"));
    assertThat(dir("COM1"), equalTo("_qlib_com1"));
    assertThat(dir("LPT9"), equalTo("_qlib_lpt9"));
    assertThat(instrument("com1"), equalTo("_C_O_M1"));
    assertThat(dir("com1"), equalTo("_c_o_m1"));
    assertThat(dir("Com1"), equalTo("c_o_m1"));
    assertThat(dir("COM10"), equalTo("com10"));
  }

  @Test
  void suffixesTickersPandasReadsAsMissing() {
    assertThat(instrument("NA"), equalTo("NA_"));
    assertThat(instrument("NULL"), equalTo("NULL_"));
    assertThat(instrument("NAB"), equalTo("NAB"));
    assertThat(dir("NA"), equalTo("na_"));
  }

  @Test
  void dropsTheOptionsPrefixOnlyForOptionsDatasets() {
    assertThat(QlibNames.instrument("O:SPY230327P00390000", Dataset.options_daily),
        equalTo("SPY230327P00390000"));
    assertThat(QlibNames.instrument("O:SPY230327P00390000", Dataset.options_minute),
        equalTo("SPY230327P00390000"));
  }

  @Test
  void escapesUnderscoresSoTheMappingStaysInjective() {
    assertThat(instrument("A_B"), equalTo("A__B"));
    assertThat(instrument("A_b"), equalTo("A___B"));
    assertThat(dir("A_B"), not(equalTo(dir("A_b"))));
    assertThat(dir("AB_"), not(equalTo(dir("Ab"))));
    assertThat(dir("A_"), not(equalTo(dir("a"))));
    assertThat(dir("NA"), not(equalTo(dir("NA_"))));
  }
}
