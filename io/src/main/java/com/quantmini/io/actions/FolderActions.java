package com.quantmini.io.actions;

import com.quantmini.transforms.adjust.CorporateAction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Events from a folder or URL (local path, {@code s3://...}) holding {@code splits.json} and
 * {@code dividends.json}, each one response object in the provider's REST format. Both must be
 * there: a missing file would silently mean "no dividends".
 */
public final class FolderActions {
  private FolderActions() {}

  public static final String SPLITS = "splits.json";
  public static final String DIVIDENDS = "dividends.json";

  /** Whether {@code dir} holds a splits file (what {@code auto} looks for). */
  public static boolean exists(String dir) throws IOException {
    MatchResult m = FileSystems.match(dir + "/" + SPLITS, EmptyMatchTreatment.ALLOW);
    return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty();
  }

  public static List<CorporateAction> load(String dir) throws IOException {
    List<CorporateAction> out = new ArrayList<>();
    out.addAll(page(dir + "/" + SPLITS, CorporateAction.Kind.SPLIT));
    out.addAll(page(dir + "/" + DIVIDENDS, CorporateAction.Kind.DIVIDEND));
    return out;
  }

  private static List<CorporateAction> page(String path, CorporateAction.Kind kind) throws IOException {
    MatchResult m = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
    if (m.status() != MatchResult.Status.OK || m.metadata().isEmpty()) {
      throw new IOException(path + " is missing: a corporate actions folder holds both " + SPLITS + " and "
          + DIVIDENDS + " (write {\"results\": []} for none)");
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(m.metadata().get(0).resourceId()))) {
      ActionsJson.Page p = ActionsJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), kind, path);
      if (p.nextUrl != null) {
        throw new IOException(path + " has a next_url: a folder file must hold every result in one object");
      }
      return p.events;
    }
  }
}
