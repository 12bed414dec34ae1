package com.quantmini.io.s3;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Drops the {@code x-amz-server-side-encryption-bucket-key-enabled} header from S3 writes.
 *
 * <p>Beam's S3 file system always sets {@code bucketKeyEnabled} (to {@code false} unless {@code
 * --bucketKeyEnabled}) on CreateMultipartUpload and CopyObject; S3-compatible servers such as S3Proxy
 * answer that with {@code 501 Server-side encryption is not supported}. Clearing a {@code false}
 * value changes nothing on AWS (false is the default there); a {@code true} value is kept, because
 * someone asked for it. Requests without the field pass through unchanged.
 *
 * <p>The AWS SDK loads this class for every client through the class-path resource {@code
 * software/amazon/awssdk/global/handlers/execution.interceptors}, so it needs no Beam option.
 */
public final class ClearBucketKeyInterceptor implements ExecutionInterceptor {

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    if (request instanceof CreateMultipartUploadRequest r && Boolean.FALSE.equals(r.bucketKeyEnabled())) {
      return r.toBuilder().bucketKeyEnabled(null).build();
    }
    if (request instanceof CopyObjectRequest r && Boolean.FALSE.equals(r.bucketKeyEnabled())) {
      return r.toBuilder().bucketKeyEnabled(null).build();
    }
    if (request instanceof PutObjectRequest r && Boolean.FALSE.equals(r.bucketKeyEnabled())) {
      return r.toBuilder().bucketKeyEnabled(null).build();
    }
    return request;
  }
}
