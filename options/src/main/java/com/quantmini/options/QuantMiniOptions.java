package com.quantmini.options;

import org.apache.beam.sdk.io.aws2.options.S3Options;

/**
 * All of QuantMini's options; the runner reads its own ({@code --runner}, {@code --targetParallelism},
 * {@code --flinkMaster}, ...) and S3 access comes from Beam's aws2 options ({@code --endpoint},
 * {@code --awsRegion}, credentials from the standard AWS chain); sizing defaults come from the host
 * ({@link MachineOptions}).
 */
public interface QuantMiniOptions
    extends SourceOptions, FeatureOptions, AdjustmentOptions, SinkOptions, MachineOptions, ReportingOptions,
    S3Options {}
