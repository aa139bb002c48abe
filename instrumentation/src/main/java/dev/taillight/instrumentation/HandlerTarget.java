package dev.taillight.instrumentation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/**
 * The user's handler behind {@link TaillightHandler}, resolved once from a handler string the way the
 * Lambda Java runtime resolves it: {@code com.example.Orders}, {@code com.example.Orders::handleRequest}.
 *
 * <p>{@link #invoke} deserialises the event bytes for the handler's input type, calls it, serialises
 * the result to the output stream and returns the result object (null for stream handlers). The
 * handler's own exceptions are rethrown unchanged.
 */
abstract class HandlerTarget {
  abstract Object invoke(byte[] event, OutputStream output, Context context) throws IOException;

  /** True when the handler writes its own output bytes (stream handlers), so no result object exists. */
  boolean writesRawOutput() {
    return false;
  }

  static HandlerTarget load(String handler, ClassLoader loader) {
    if (handler == null || handler.isBlank()) {
      throw new IllegalStateException(TaillightHandler.HANDLER_ENV
          + " is not set: set it to your original handler, e.g. com.example.Orders::handleRequest");
    }
    String spec = handler.trim();
    String className = spec;
    String methodName = null;
    int sep = spec.indexOf("::");
    if (sep >= 0) {
      className = spec.substring(0, sep);
      methodName = spec.substring(sep + 2);
    }
    if (className.equals(TaillightHandler.class.getName())) {
      throw new IllegalStateException(TaillightHandler.HANDLER_ENV + "=" + handler
          + " names TaillightHandler itself: set it to your original handler");
    }
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(TaillightHandler.HANDLER_ENV + "=" + handler + ": class " + className
          + " not found in the function's code", e);
    }
    boolean defaultMethod = methodName == null || methodName.equals("handleRequest");
    if (defaultMethod && RequestStreamHandler.class.isAssignableFrom(type)) {
      return new StreamTarget((RequestStreamHandler) instantiate(type, handler));
    }
    if (defaultMethod && RequestHandler.class.isAssignableFrom(type)) {
      Type[] io = requestHandlerTypes(type);
      @SuppressWarnings("unchecked")
      RequestHandler<Object, Object> h = (RequestHandler<Object, Object>) instantiate(type, handler);
      return new RequestTarget(h, Codecs.forType(io[0], loader), Codecs.forType(io[1], loader));
    }
    if (methodName == null) {
      throw new IllegalStateException(TaillightHandler.HANDLER_ENV + "=" + handler + ": " + className
          + " implements neither RequestHandler nor RequestStreamHandler; name the method: "
          + className + "::yourMethod");
    }
    Method m = pickMethod(type, methodName);
    if (m == null) {
      throw new IllegalStateException(TaillightHandler.HANDLER_ENV + "=" + handler + ": no public method "
          + methodName + " taking (input[, Context]) or (InputStream, OutputStream[, Context]) in "
          + className);
    }
    Object instance = Modifier.isStatic(m.getModifiers()) ? null : instantiate(type, handler);
    return MethodTarget.create(instance, m, loader);
  }

  private static Object instantiate(Class<?> type, String handler) {
    try {
      Constructor<?> c = type.getConstructor();
      return c.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(TaillightHandler.HANDLER_ENV + "=" + handler + ": " + type.getName()
          + " needs a public no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw Sneaky.<RuntimeException>rethrow(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(TaillightHandler.HANDLER_ENV + "=" + handler + ": cannot construct "
          + type.getName() + ": " + e, e);
    }
  }

  /** The most specific public method of that name: most parameters, a trailing Context preferred. */
  static Method pickMethod(Class<?> type, String name) {
    Method best = null;
    int bestScore = -1;
    for (Method m : type.getMethods()) {
      if (!m.getName().equals(name) || m.isBridge() || m.isSynthetic()) {
        continue;
      }
      Class<?>[] p = m.getParameterTypes();
      int score;
      if (p.length == 3 && InputStream.class.isAssignableFrom(p[0]) && OutputStream.class.isAssignableFrom(p[1])
          && p[2] == Context.class) {
        score = 30;
      } else if (p.length == 2 && InputStream.class.isAssignableFrom(p[0])
          && OutputStream.class.isAssignableFrom(p[1])) {
        score = 25;
      } else if (p.length == 2 && p[1] == Context.class) {
        score = 20;
      } else if (p.length == 1 && p[0] == Context.class) {
        score = 12;
      } else if (p.length == 1) {
        score = 10;
      } else if (p.length == 0) {
        score = 5;
      } else {
        continue;
      }
      if (score > bestScore) {
        best = m;
        bestScore = score;
      }
    }
    return best;
  }

  /** Resolves {@code RequestHandler<I, O>}'s I and O for {@code type}; Object where unresolvable. */
  static Type[] requestHandlerTypes(Class<?> type) {
    Type[] found = find(type, new HashMap<>());
    return found == null ? new Type[] {Object.class, Object.class} : found;
  }

  private static Type[] find(Type t, Map<TypeVariable<?>, Type> bindings) {
    Class<?> raw;
    if (t instanceof ParameterizedType pt) {
      raw = (Class<?>) pt.getRawType();
      TypeVariable<?>[] vars = raw.getTypeParameters();
      Type[] args = pt.getActualTypeArguments();
      Map<TypeVariable<?>, Type> next = new HashMap<>(bindings);
      for (int i = 0; i < vars.length && i < args.length; i++) {
        next.put(vars[i], resolve(args[i], bindings));
      }
      bindings = next;
      if (raw == RequestHandler.class) {
        return new Type[] {resolve(args[0], bindings), resolve(args[1], bindings)};
      }
    } else if (t instanceof Class<?> c) {
      raw = c;
    } else {
      return null;
    }
    for (Type i : raw.getGenericInterfaces()) {
      Type[] r = find(i, bindings);
      if (r != null) {
        return r;
      }
    }
    Type sup = raw.getGenericSuperclass();
    return sup == null ? null : find(sup, bindings);
  }

  private static Type resolve(Type t, Map<TypeVariable<?>, Type> bindings) {
    if (t instanceof TypeVariable<?> v) {
      Type b = bindings.get(v);
      return b != null ? b : Object.class;
    }
    return t;
  }

  // ---------------------------------------------------------------------------------------- targets

  private static final class StreamTarget extends HandlerTarget {
    private final RequestStreamHandler handler;

    StreamTarget(RequestStreamHandler handler) {
      this.handler = handler;
    }

    @Override
    boolean writesRawOutput() {
      return true;
    }

    @Override
    Object invoke(byte[] event, OutputStream output, Context context) throws IOException {
      handler.handleRequest(new ByteArrayInputStream(event), output, context);
      return null;
    }
  }

  private static final class RequestTarget extends HandlerTarget {
    private final RequestHandler<Object, Object> handler;
    private final Codecs.Codec in;
    private final Codecs.Codec out;

    RequestTarget(RequestHandler<Object, Object> handler, Codecs.Codec in, Codecs.Codec out) {
      this.handler = handler;
      this.in = in;
      this.out = out;
    }

    @Override
    Object invoke(byte[] event, OutputStream output, Context context) throws IOException {
      Object result = handler.handleRequest(in.read(event), context);
      out.write(result, output);
      return result;
    }
  }

  private static final class MethodTarget extends HandlerTarget {
    private final Object instance;
    private final Method method;
    private final int shape;
    private final Codecs.Codec in;
    private final Codecs.Codec out;

    @Override
    boolean writesRawOutput() {
      return shape > 100;
    }

    private MethodTarget(Object instance, Method method, int shape, Codecs.Codec in, Codecs.Codec out) {
      this.instance = instance;
      this.method = method;
      this.shape = shape;
      this.in = in;
      this.out = out;
    }

    static MethodTarget create(Object instance, Method m, ClassLoader loader) {
      Class<?>[] p = m.getParameterTypes();
      boolean stream = p.length >= 2 && InputStream.class.isAssignableFrom(p[0])
          && OutputStream.class.isAssignableFrom(p[1]);
      int shape = stream ? 100 + p.length : p.length == 1 && p[0] == Context.class ? 50 : p.length;
      Codecs.Codec in = !stream && p.length >= 1 && p[0] != Context.class
          ? Codecs.forType(m.getGenericParameterTypes()[0], loader) : null;
      Codecs.Codec out = stream || m.getReturnType() == void.class ? null
          : Codecs.forType(m.getGenericReturnType(), loader);
      return new MethodTarget(instance, m, shape, in, out);
    }

    @Override
    Object invoke(byte[] event, OutputStream output, Context context) throws IOException {
      Object[] args;
      switch (shape) {
        case 102: args = new Object[] {new ByteArrayInputStream(event), output}; break;
        case 103: args = new Object[] {new ByteArrayInputStream(event), output, context}; break;
        case 50: args = new Object[] {context}; break;
        case 0: args = new Object[0]; break;
        case 1: args = new Object[] {in.read(event)}; break;
        default: args = new Object[] {in.read(event), context}; break;
      }
      Object result;
      try {
        result = method.invoke(instance, args);
      } catch (InvocationTargetException e) {
        throw Sneaky.<IOException>rethrow(e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot call " + method + ": " + e.getMessage(), e);
      }
      if (out != null) {
        out.write(result, output);
      }
      return result;
    }
  }
}
