package dev.taillight.instrumentation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a named field from an event in any of the shapes a handler may receive it: the {@code Map}
 * tree of a raw JSON event, or an object of aws-lambda-java-events (through its public getters, found
 * by reflection so users need not add that dependency for us). Names match loosely: case and
 * non-alphanumerics are ignored, so {@code "detail-type"} finds {@code getDetailType()} and
 * {@code "Sns"} finds {@code getSNS()}.
 *
 * <p>Never throws; a missing field is null. Getters are only called on classes of
 * {@code com.amazonaws.services.lambda.runtime.events}, never on user objects.
 */
final class Fields {
  private static final String EVENTS_PACKAGE = "com.amazonaws.services.lambda.runtime.events.";

  /** Getter tables per class; a holder so a cold JVM only pays for ClassValue when a bean shows up. */
  private static final class Getters {
  static final ClassValue<Map<String, Method>> GETTERS = new ClassValue<>() {
    @Override
    protected Map<String, Method> computeValue(Class<?> type) {
      Map<String, Method> map = new HashMap<>();
      for (Method m : type.getMethods()) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
            || m.getDeclaringClass() == Object.class) {
          continue;
        }
        String n = m.getName();
        String prop;
        if (n.startsWith("get") && n.length() > 3) {
          prop = n.substring(3);
        } else if (n.startsWith("is") && n.length() > 2) {
          prop = n.substring(2);
        } else {
          continue;
        }
        map.putIfAbsent(normalize(prop), m);
      }
      return map;
    }
  };
  }

  private Fields() {}

  static Object get(Object obj, String name) {
    if (obj == null) {
      return null;
    }
    try {
      if (obj instanceof Map<?, ?> map) {
        Object v = map.get(name);
        if (v != null || map.isEmpty()) {
          return v;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (e.getKey() instanceof String k && looseEquals(k, name)) {
            return e.getValue();
          }
        }
        return null;
      }
      Class<?> type = obj.getClass();
      if (!type.getName().startsWith(EVENTS_PACKAGE)) {
        return null;
      }
      Method m = Getters.GETTERS.get(type).get(normalize(name));
      return m == null ? null : m.invoke(obj);
    } catch (Throwable e) {
      Problems.report("reading event field " + name, e);
      return null;
    }
  }

  /** Follows a path of names. */
  static Object path(Object obj, String... names) {
    Object v = obj;
    for (String n : names) {
      v = get(v, n);
      if (v == null) {
        return null;
      }
    }
    return v;
  }

  static String string(Object obj, String name) {
    Object v = get(obj, name);
    if (v == null) {
      return null;
    }
    if (v instanceof List<?> list) {
      // multi-value headers: the first value
      return list.isEmpty() || list.get(0) == null ? null : list.get(0).toString();
    }
    return v.toString();
  }

  static List<?> list(Object obj, String name) {
    Object v = get(obj, name);
    return v instanceof List<?> l ? l : null;
  }

  /** True for a Map tree or an aws-lambda-java-events object, the shapes {@link #get} can read. */
  static boolean readable(Object obj) {
    return obj instanceof Map || (obj != null && obj.getClass().getName().startsWith(EVENTS_PACKAGE));
  }

  /** Equal ignoring case and non-alphanumerics (ASCII), without allocating. */
  static boolean looseEquals(String a, String b) {
    int i = 0;
    int j = 0;
    int na = a.length();
    int nb = b.length();
    while (true) {
      while (i < na && !alnum(a.charAt(i))) {
        i++;
      }
      while (j < nb && !alnum(b.charAt(j))) {
        j++;
      }
      if (i == na || j == nb) {
        return i == na && j == nb;
      }
      char x = a.charAt(i++);
      char y = b.charAt(j++);
      if (x != y && lower(x) != lower(y)) {
        return false;
      }
    }
  }

  private static boolean alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c > 127;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c > 127 ? Character.toLowerCase(c) : c;
  }

  static String normalize(String s) {
    int n = s.length();
    boolean plain = true;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        sb.append((char) (c + 32));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        sb.append(c);
      } else if (c > 127 && Character.isLetterOrDigit(c)) {
        sb.append(Character.toLowerCase(c));
      }
    }
    return sb.toString();
  }
}
