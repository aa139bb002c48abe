package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;

/**
 * {@link Codecs.Codec} backed by the Lambda runtime's serialization library, chosen as the runtime
 * chooses: aws-lambda-java-events types through {@code LambdaEventSerializers}, everything else through
 * its Jackson factory. Loaded only when that library is present.
 */
final class RuntimeCodec implements Codecs.Codec {
  private final PojoSerializer<Object> serializer;

  private RuntimeCodec(PojoSerializer<Object> serializer) {
    this.serializer = serializer;
  }

  @SuppressWarnings("unchecked")
  static RuntimeCodec create(Type type, ClassLoader loader) {
    Class<?> raw = Codecs.rawClass(type);
    PojoSerializer<Object> s;
    if (LambdaEventSerializers.isLambdaSupportedEvent(raw.getName())) {
      s = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(raw, loader);
    } else {
      s = JacksonFactory.getInstance().getSerializer(type);
    }
    return new RuntimeCodec(s);
  }

  @Override
  public Object read(byte[] json) {
    return serializer.fromJson(new ByteArrayInputStream(json));
  }

  @Override
  public void write(Object value, OutputStream out) {
    serializer.toJson(value, out);
  }
}
