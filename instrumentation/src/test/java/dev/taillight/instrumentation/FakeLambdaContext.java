package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.LongSupplier;

/** A Lambda {@link Context} built field by field for tests; every field may be null. */
final class FakeLambdaContext implements Context {
  private final Builder b;

  private FakeLambdaContext(Builder b) {
    this.b = b;
  }

  static Builder builder() {
    return new Builder();
  }

  /** A context with the usual values of a 512 MB function "orders" in us-east-1. */
  static FakeLambdaContext create(String requestId) {
    return builder().requestId(requestId).build();
  }

  @Override
  public String getAwsRequestId() {
    return b.requestId;
  }

  @Override
  public String getLogGroupName() {
    return b.logGroup;
  }

  @Override
  public String getLogStreamName() {
    return b.logStream;
  }

  @Override
  public String getFunctionName() {
    return b.functionName;
  }

  @Override
  public String getFunctionVersion() {
    return b.version;
  }

  @Override
  public String getInvokedFunctionArn() {
    return b.arn;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    if (b.custom == null) {
      return null;
    }
    return new ClientContext() {
      @Override
      public com.amazonaws.services.lambda.runtime.Client getClient() {
        return null;
      }

      @Override
      public Map<String, String> getCustom() {
        return b.custom;
      }

      @Override
      public Map<String, String> getEnvironment() {
        return null;
      }
    };
  }

  @Override
  public int getRemainingTimeInMillis() {
    return (int) b.remaining.getAsLong();
  }

  @Override
  public int getMemoryLimitInMB() {
    return b.memoryMb;
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        System.out.print(message);
      }

      @Override
      public void log(byte[] message) {
        System.out.print(new String(message, StandardCharsets.UTF_8));
      }
    };
  }

  static final class Builder {
    private String requestId = "8f507cfc-example-4697-b07a-ac58fc914c95";
    private String logGroup = "/aws/lambda/orders";
    private String logStream = "2026/11/28/[$LATEST]3a1f0c2b9d8e4f5a6b7c8d9e0f1a2b3c";
    private String functionName = "orders";
    private String version = "$LATEST";
    private String arn = "arn:aws:lambda:us-east-1:123456789012:function:orders";
    private Map<String, String> custom;
    private LongSupplier remaining = new Constant(30_000);
    private int memoryMb = 512;

    Builder requestId(String v) {
      requestId = v;
      return this;
    }

    Builder logGroup(String v) {
      logGroup = v;
      return this;
    }

    Builder logStream(String v) {
      logStream = v;
      return this;
    }

    Builder functionName(String v) {
      functionName = v;
      return this;
    }

    Builder version(String v) {
      version = v;
      return this;
    }

    Builder invokedArn(String v) {
      arn = v;
      return this;
    }

    Builder clientContextCustom(Map<String, String> v) {
      custom = v;
      return this;
    }

    Builder remainingMillis(long v) {
      remaining = new Constant(v);
      return this;
    }

    Builder remainingMillis(LongSupplier v) {
      remaining = v;
      return this;
    }

    Builder memoryMb(int v) {
      memoryMb = v;
      return this;
    }

    FakeLambdaContext build() {
      return new FakeLambdaContext(this);
    }
  }

  private record Constant(long value) implements LongSupplier {
    @Override
    public long getAsLong() {
      return value;
    }
  }
}
