package dev.taillight.instrumentation;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Event (de)serialisation for {@link TaillightHandler}: the Lambda runtime's own library when it is on
 * the classpath (it is in AWS's Java runtimes), else a built-in JSON codec for Map/List/String/number/
 * boolean types.
 */
final class Codecs {
  private Codecs() {}

  /** Reads an event for, or writes a result of, one Java type. */
  interface Codec {
    Object read(byte[] json) throws IOException;

    void write(Object value, OutputStream out) throws IOException;
  }

  static Codec forType(Type type, ClassLoader loader) {
    if (runtimeSerializationPresent(loader)) {
      return RuntimeCodec.create(type, loader);
    }
    Class<?> raw = rawClass(type);
    if (raw == Object.class || Map.class.isAssignableFrom(raw) || List.class.isAssignableFrom(raw)
        || raw == String.class || Number.class.isAssignableFrom(raw) || raw == Boolean.class
        || (raw.isPrimitive() && raw != void.class)) {
      return new TreeCodec(raw);
    }
    throw new IllegalStateException("the handler's type " + type.getTypeName() + " needs the Lambda runtime's"
        + " serialization library (com.amazonaws:aws-lambda-java-serialization), which AWS's Java runtimes"
        + " provide; add it to run this handler elsewhere");
  }

  private static boolean runtimeSerializationPresent(ClassLoader loader) {
    try {
      Class.forName("com.amazonaws.services.lambda.runtime.serialization.PojoSerializer", false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    return Object.class;
  }

  /** JSON through {@link JsonTree} and {@link JsonOut}; numbers as Long or Double. */
  static final class TreeCodec implements Codec {
    private final Class<?> type;

    TreeCodec(Class<?> type) {
      this.type = type;
    }

    @Override
    public Object read(byte[] json) {
      Object v = JsonTree.parse(json);
      if (v == JsonTree.INVALID) {
        if (type == String.class || type == Object.class) {
          return new String(json, StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("the event is not JSON");
      }
      if (v == null) {
        return null;
      }
      if (type == String.class) {
        return v.toString();
      }
      if (v instanceof Number n) {
        if (type == Integer.class || type == int.class) {
          return n.intValue();
        }
        if (type == Long.class || type == long.class) {
          return n.longValue();
        }
        if (type == Double.class || type == double.class) {
          return n.doubleValue();
        }
      }
      return v;
    }

    @Override
    public void write(Object value, OutputStream out) throws IOException {
      JsonOut json = new JsonOut(256);
      value(json, value, 0);
      out.write(json.buf, 0, json.len);
    }

    private static void value(JsonOut out, Object v, int depth) {
      if (v == null || depth > 64) {
        out.raw("null");
      } else if (v instanceof CharSequence s) {
        out.string(s);
      } else if (v instanceof Boolean b) {
        out.raw(b ? "true" : "false");
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
        out.number(((Number) v).longValue());
      } else if (v instanceof Number n) {
        out.raw(n.toString());
      } else if (v instanceof Map<?, ?> m) {
        out.raw('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            out.raw(',');
          }
          first = false;
          out.string(String.valueOf(e.getKey()));
          out.raw(':');
          value(out, e.getValue(), depth + 1);
        }
        out.raw('}');
      } else if (v instanceof Iterable<?> it) {
        out.raw('[');
        boolean first = true;
        for (Object o : it) {
          if (!first) {
            out.raw(',');
          }
          first = false;
          value(out, o, depth + 1);
        }
        out.raw(']');
      } else {
        out.string(v.toString());
      }
    }
  }
}
