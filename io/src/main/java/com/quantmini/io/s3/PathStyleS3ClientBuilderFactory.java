package com.quantmini.io.s3;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds Beam's S3 clients like {@link DefaultS3ClientBuilderFactory}, but with path-style access
 * whenever {@code --endpoint} is set.
 *
 * <p>Beam's aws2 module has no path-style option. With a host-name endpoint the SDK otherwise puts
 * the bucket into the host name ({@code flatfiles.files.polygon.io}, {@code flatfiles.localhost}),
 * which S3-compatible servers such as Polygon/Massive or S3Proxy don't serve. Without an endpoint
 * (real AWS) the SDK default is kept. Select it with {@code
 * --s3ClientFactoryClass=com.quantmini.io.s3.PathStyleS3ClientBuilderFactory}; {@link S3Options}
 * must be registered with {@code PipelineOptionsFactory} for that flag to parse.
 */
public class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder = new DefaultS3ClientBuilderFactory().createBuilder(options);
    return options.getEndpoint() == null ? builder : builder.forcePathStyle(true);
  }
}
