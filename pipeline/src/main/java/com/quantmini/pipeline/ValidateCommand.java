package com.quantmini.pipeline;

import com.quantmini.io.lake.LakeValidator;
import com.quantmini.io.lake.ValidationReport;
import com.quantmini.transforms.model.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code validate}: checks an output's lake, Qlib tree and health; exit 0 consistent (warnings
 * allowed), 1 not, 2 usage. Its few flags are parsed here: Beam's options factory costs seconds
 * of start-up that a check run for cron should not pay.
 */
final class ValidateCommand {
  private ValidateCommand() {}

  static final String USAGE = "usage: validate --output=OUT [--datasets=stocks_daily,...] [--json] [--sample=N]"
      + " [--maxMove=0.5] [--maxVolumeJump=10]";

  static int run(List<String> args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String a : args) {
      String[] kv = a.startsWith("--") ? a.substring(2).split("=", 2) : new String[] {a};
      if (kv.length == 1 && !kv[0].equals("json") || !List.of("output", "datasets", "json", "sample", "maxMove",
          "maxVolumeJump").contains(kv[0])) {
        System.err.println("unknown or incomplete flag " + a + "\n" + USAGE);
        return 2;
      }
      flags.put(kv[0], kv.length == 1 ? "true" : kv[1]);
    }
    List<Dataset> datasets = new ArrayList<>();
    LakeValidator.Settings settings;
    try {
      for (String name : flags.getOrDefault("datasets", "stocks_daily,stocks_minute,options_daily,options_minute")
          .split(",")) {
        Dataset d = Dataset.parse(name);
        if (!datasets.contains(d)) {
          datasets.add(d);
        }
      }
      LakeValidator.Settings d = LakeValidator.Settings.DEFAULT;
      settings = new LakeValidator.Settings(Integer.parseInt(flags.getOrDefault("sample", "" + d.sample())),
          Double.parseDouble(flags.getOrDefault("maxMove", "" + d.maxMove())),
          Double.parseDouble(flags.getOrDefault("maxVolumeJump", "" + d.maxVolumeJump())));
      if (settings.sample() < 0 || !(settings.maxMove() > 0) || !(settings.maxVolumeJump() > 0)) {
        throw new IllegalArgumentException("--sample must be >= 0, --maxMove and --maxVolumeJump > 0");
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    String output = flags.getOrDefault("output", "out");
    if (output.contains("://")) {
      System.err.println("validate reads local or mounted outputs, not " + output);
      return 2;
    }
    ValidationReport report;
    try {
      report = LakeValidator.validate(Path.of(output), datasets, flags.containsKey("datasets"), settings);
    } catch (IOException e) {
      System.err.println("cannot read the output: " + e);
      return 1;
    }
    boolean json = Boolean.parseBoolean(flags.getOrDefault("json", "false"));
    System.out.print(json ? report.json() : report.text());
    return report.exitCode();
  }
}
