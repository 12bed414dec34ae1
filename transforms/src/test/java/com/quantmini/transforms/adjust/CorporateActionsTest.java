package com.quantmini.transforms.adjust;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class CorporateActionsTest {
  @Test
  void aSerializedCopyHoldsTheSameEventsAndCounts() {
    List<CorporateAction> events = new ArrayList<>();
    events.add(CorporateAction.split("ADSW", LocalDate.of(2024, 1, 5), 1, 4, "s1"));
    events.add(CorporateAction.split("ADSW", LocalDate.of(2024, 1, 5), 1, 4, "s1-duplicate"));
    events.add(CorporateAction.dividend("ADSW", LocalDate.of(2024, 1, 9), 0.10, "USD", "CD", "d1"));
    events.add(CorporateAction.dividend("IPOX", LocalDate.of(2024, 1, 4), 0.25, "USD", "SC", "d2"));
    events.add(CorporateAction.dividend("EURO", LocalDate.of(2024, 1, 4), 0.25, "EUR", "CD", "d3"));
    CorporateActions actions = CorporateActions.of(events, true);
    CorporateActions copy = SerializableUtils.clone(actions);
    assertThat(copy.applied(), is(actions.applied()));
    assertThat(copy.of("ADSW").size(), is(2));
    assertThat(copy.of("ADSW").get(0).splitTo, is(4.0));
    assertThat(copy.of("IPOX").get(0).dividendType, is("SC"));
    assertThat(copy.of("IPOX").get(0).id, is("d2"));
    assertThat(copy.read, is(5));
    assertThat(copy.duplicates, is(1));
    assertThat(copy.unusable, is(1));
    assertThat(copy.unusableExamples, is(actions.unusableExamples));
    assertThat(SerializableUtils.clone(CorporateActions.of(events, false)).notApplied, is(2));
  }
}
