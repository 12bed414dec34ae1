package com.quantmini.io.lake;

import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The session files of a lake layer ({@code <output>/<layer>/<dataset>/year=YYYY/month=MM/YYYY-MM-DD.<ext>}),
 * found by walking only the year and month folders that overlap the asked range: a reader of one
 * month of a ten-year lake lists one folder, not every file.
 */
public final class LakeFiles {
  private LakeFiles() {}

  /** Session date to file, sorted, for the sessions in [from, to] (null = open end). */
  public static TreeMap<LocalDate, Path> sessions(Path output, String layer, Dataset dataset, LocalDate from,
      LocalDate to, String extension) throws IOException {
    TreeMap<LocalDate, Path> out = new TreeMap<>();
    Path root = output.resolve(layer).resolve(dataset.name());
    for (Path year : children(root, "year=")) {
      int y = number(year, "year=");
      if (y < 0 || (from != null && y < from.getYear()) || (to != null && y > to.getYear())) {
        continue;
      }
      for (Path month : children(year, "month=")) {
        int m = number(month, "month=");
        if (m < 1 || m > 12 || outside(LocalDate.of(y, m, 1), LocalDate.of(y, m, 1).plusMonths(1).minusDays(1),
            from, to)) {
          continue;
        }
        for (Path f : children(month, "")) {
          String name = f.getFileName().toString();
          if (!name.endsWith(extension) || name.length() != 10 + extension.length()) {
            continue; // temp files (_tmp-...) and anything else a writer left beside the sessions
          }
          LocalDate d;
          try {
            d = LocalDate.parse(name.substring(0, 10));
          } catch (DateTimeParseException e) {
            continue;
          }
          if (!outside(d, d, from, to)) {
            out.put(d, f);
          }
        }
      }
    }
    return out;
  }

  private static boolean outside(LocalDate first, LocalDate last, LocalDate from, LocalDate to) {
    return (from != null && last.isBefore(from)) || (to != null && first.isAfter(to));
  }

  private static List<Path> children(Path dir, String prefix) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, prefix + "*")) {
      ds.forEach(out::add);
    }
    return out;
  }

  private static int number(Path dir, String prefix) {
    try {
      return Integer.parseInt(dir.getFileName().toString().substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
