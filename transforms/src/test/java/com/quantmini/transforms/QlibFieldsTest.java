package com.quantmini.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QlibFieldsTest {
  @Test
  void theDefaultLeavesAlpha158ToQlibAndExportsTheRest() {
    QlibFields d = QlibFields.parse("default");
    assertThat(d.exports("KMID", true), is(false));
    assertThat(d.exports("rsi_14", false), is(true));
    assertThat(d.exports("implied_vol", false), is(true));
    assertThat(d.exports("factor", false), is(true));
  }

  @Test
  void barsExportsOnlyFactorAndChangeAndAllExportsEverything() {
    assertThat(QlibFields.BARS.exports("rsi_14", false), is(false));
    assertThat(QlibFields.BARS.exports("change", false), is(true));
    assertThat(QlibFields.ALL.exports("KMID", true), is(true));
  }

  @Test
  void aListNamesFeaturesInAnyCaseAndRoundTripsThroughItsToken() {
    QlibFields l = QlibFields.parse("KMID, roc5");
    assertThat(l.listed(), is(Set.of("kmid", "roc5")));
    assertThat(l.exports("kmid", true), is(true));
    assertThat(l.exports("ROC10", true), is(false));
    assertThat(l.exports("rsi_14", false), is(false));
    assertThat(l.token(), is("qlib=kmid+roc5"));
    assertThat(QlibFields.recordedIn("adjusted,alpha158,qlib=kmid+roc5,seed"), is(l));
    assertThat(QlibFields.withoutToken("adjusted,alpha158,qlib=kmid+roc5,seed"), is("adjusted,alpha158,seed"));
  }

  @Test
  void noneMeansNoQlibTreeAndIsRecordedLikeTheOthers() {
    QlibFields none = QlibFields.parse(" None ");
    assertThat(none, is(QlibFields.NONE));
    assertThat(none.writesQlib(), is(false));
    assertThat(none.exports("rsi_14", false), is(false));
    assertThat(none.token(), is("qlib=none"));
    assertThat(QlibFields.recordedIn("adjusted,seed,qlib=none"), is(QlibFields.NONE));
    for (QlibFields f : new QlibFields[] {QlibFields.DEFAULT, QlibFields.BARS, QlibFields.ALL, QlibFields.parse("kmid")}) {
      assertThat(f.writesQlib(), is(true));
    }
  }

  @Test
  void anOutputFromBeforeTheChoiceExportedEveryFeature() {
    assertThat(QlibFields.recordedIn("adjusted,alpha158,seed"), is(QlibFields.ALL));
    assertThat(QlibFields.recordedIn(null), nullValue());
    assertThat(QlibFields.parse(""), nullValue());
    assertThat(QlibFields.recordedIn("adjusted,qlib=bars"), is(QlibFields.BARS));
  }

  @Test
  void anEmptyListIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> QlibFields.parse(" , "));
  }
}
