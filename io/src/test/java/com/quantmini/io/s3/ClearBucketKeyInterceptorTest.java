package com.quantmini.io.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import org.junit.jupiter.api.Test;

class ClearBucketKeyInterceptorTest {

  private final ClearBucketKeyInterceptor interceptor = new ClearBucketKeyInterceptor();

  @Test
  void clearsFalseOnCreateMultipartUpload() {
    SdkRequest out = modify(CreateMultipartUploadRequest.builder().bucket("b").key("k").bucketKeyEnabled(false).build());
    assertThat(((CreateMultipartUploadRequest) out).bucketKeyEnabled(), nullValue());
    assertThat(((CreateMultipartUploadRequest) out).key(), equalTo("k"));
  }

  @Test
  void clearsFalseOnCopyAndPut() {
    SdkRequest copy = modify(CopyObjectRequest.builder().sourceBucket("b").sourceKey("a")
        .destinationBucket("b").destinationKey("c").bucketKeyEnabled(false).build());
    SdkRequest put = modify(PutObjectRequest.builder().bucket("b").key("k").bucketKeyEnabled(false).build());
    assertThat(((CopyObjectRequest) copy).bucketKeyEnabled(), nullValue());
    assertThat(((CopyObjectRequest) copy).destinationKey(), equalTo("c"));
    assertThat(((PutObjectRequest) put).bucketKeyEnabled(), nullValue());
  }

  @Test
  void leavesRequestsWithoutTheFieldUntouched() {
    PutObjectRequest unset = PutObjectRequest.builder().bucket("b").key("k").build();
    GetObjectRequest get = GetObjectRequest.builder().bucket("b").key("k").build();
    assertThat(modify(unset), sameInstance(unset));
    assertThat(modify(get), sameInstance(get));
  }

  @Test
  void keepsAnExplicitTrue() {
    CreateMultipartUploadRequest on = CreateMultipartUploadRequest.builder().bucket("b").key("k").bucketKeyEnabled(true).build();
    assertThat(modify(on), sameInstance(on));
  }

  @Test
  void isRegisteredAsAGlobalSdkInterceptor() throws IOException {
    try (InputStream in = getClass().getClassLoader()
        .getResourceAsStream("software/amazon/awssdk/global/handlers/execution.interceptors")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(Arrays.asList(text.trim().split("\\s+")), hasItem(ClearBucketKeyInterceptor.class.getName()));
    }
  }

  private SdkRequest modify(SdkRequest request) {
    Context.ModifyRequest context = () -> request;
    return interceptor.modifyRequest(context, new ExecutionAttributes());
  }
}
