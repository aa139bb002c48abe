package dev.taillight.instrumentation;

import java.util.Locale;
import java.util.function.Function;

/**
 * Settings read once from environment variables (all optional). Unparseable values fall back to the
 * default with a one-time notice on stderr.
 *
 * <table>
 *   <caption>variables</caption>
 *   <tr><td>TAILLIGHT_DISABLED</td><td>true: handlers run unwrapped</td></tr>
 *   <tr><td>TAILLIGHT_EXPORTER</td><td>stdout (default), otlp, stdout,otlp, none</td></tr>
 *   <tr><td>TAILLIGHT_OTLP_ENDPOINT</td><td>full URL for otlp; else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
 *     else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, else http://localhost:4318/v1/traces</td></tr>
 *   <tr><td>TAILLIGHT_OTLP_TIMEOUT_MS</td><td>1000</td></tr>
 *   <tr><td>TAILLIGHT_TIMEOUT_MARGIN_MS</td><td>500; 0 turns the timeout warning off</td></tr>
 *   <tr><td>TAILLIGHT_PROACTIVE_INIT_GAP_MS</td><td>10000</td></tr>
 *   <tr><td>TAILLIGHT_PRICE_GB_SECOND</td><td>USD per GB-second, default by architecture</td></tr>
 *   <tr><td>TAILLIGHT_PRICE_PER_REQUEST</td><td>USD per request, default 0.0000002</td></tr>
 *   <tr><td>TAILLIGHT_LOG_CORRELATION</td><td>true (default): ids in SLF4J MDC / Log4j2 ThreadContext</td></tr>
 *   <tr><td>OTEL_SERVICE_NAME</td><td>service.name; default the function name</td></tr>
 * </table>
 */
record Config(
    boolean disabled,
    boolean stdout,
    boolean otlp,
    String otlpEndpoint,
    long otlpTimeoutMs,
    long timeoutMarginMs,
    long proactiveInitGapMs,
    double priceGbSecondX86,
    double priceGbSecondArm,
    double pricePerRequest,
    boolean logCorrelation,
    String serviceName) {

  /** us-east-1 on-demand prices (aws.amazon.com/lambda/pricing), first tier. */
  static final double PRICE_GB_SECOND_X86 = 0.0000166667;
  static final double PRICE_GB_SECOND_ARM = 0.0000133334;
  static final double PRICE_PER_REQUEST = 0.0000002;

  /** Settings from {@code env}; null reads the process's own environment. */
  static Config from(Function<String, String> env) {
    String exporter = get(env, "TAILLIGHT_EXPORTER");
    boolean stdout = true;
    boolean otlp = false;
    if (exporter != null && !exporter.isBlank()) {
      String e = exporter.toLowerCase(Locale.ROOT);
      stdout = e.contains("stdout") || e.contains("logging");
      otlp = e.contains("otlp");
      if (!stdout && !otlp && !e.contains("none")) {
        Problems.notice("config.exporter", "TAILLIGHT_EXPORTER=" + exporter
            + " is not one of stdout, otlp, stdout,otlp, none; writing to stdout");
        stdout = true;
      }
    }
    String endpoint = get(env, "TAILLIGHT_OTLP_ENDPOINT");
    if (blank(endpoint)) {
      endpoint = get(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    }
    if (blank(endpoint)) {
      String base = get(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
      if (!blank(base)) {
        endpoint = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
      }
    }
    if (blank(endpoint)) {
      endpoint = "http://localhost:4318/v1/traces";
    }
    double gb = dbl(env, "TAILLIGHT_PRICE_GB_SECOND", -1);
    return new Config(
        bool(env, "TAILLIGHT_DISABLED", false),
        stdout,
        otlp,
        endpoint.trim(),
        lng(env, "TAILLIGHT_OTLP_TIMEOUT_MS", 1000),
        lng(env, "TAILLIGHT_TIMEOUT_MARGIN_MS", 500),
        lng(env, "TAILLIGHT_PROACTIVE_INIT_GAP_MS", 10_000),
        gb >= 0 ? gb : PRICE_GB_SECOND_X86,
        gb >= 0 ? gb : PRICE_GB_SECOND_ARM,
        dbl(env, "TAILLIGHT_PRICE_PER_REQUEST", PRICE_PER_REQUEST),
        bool(env, "TAILLIGHT_LOG_CORRELATION", true),
        blank(get(env, "OTEL_SERVICE_NAME")) ? null : get(env, "OTEL_SERVICE_NAME").trim());
  }

  double priceGbSecond(String architecture) {
    return "arm64".equals(architecture) ? priceGbSecondArm : priceGbSecondX86;
  }

  private static String get(Function<String, String> env, String name) {
    return env == null ? System.getenv(name) : env.apply(name);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static boolean bool(Function<String, String> env, String name, boolean dflt) {
    String v = get(env, name);
    if (blank(v)) {
      return dflt;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("1") || t.equals("yes")) {
      return true;
    }
    if (t.equals("false") || t.equals("0") || t.equals("no")) {
      return false;
    }
    Problems.notice("config." + name, name + "=" + v + " is not true/false; using " + dflt);
    return dflt;
  }

  private static long lng(Function<String, String> env, String name, long dflt) {
    String v = get(env, name);
    if (blank(v)) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= 0) {
        return n;
      }
    } catch (RuntimeException e) { // NumberFormatException: named, the verifier would load it on a cold start
      // fall through
    }
    Problems.notice("config." + name, name + "=" + v + " is not a whole number >= 0; using " + dflt);
    return dflt;
  }

  private static double dbl(Function<String, String> env, String name, double dflt) {
    String v = get(env, name);
    if (blank(v)) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (d >= 0 && !Double.isInfinite(d)) {
        return d;
      }
    } catch (RuntimeException e) { // NumberFormatException: named, the verifier would load it on a cold start
      // fall through
    }
    Problems.notice("config." + name, name + "=" + v + " is not a number >= 0; using "
        + (dflt < 0 ? "the list price" : Double.toString(dflt)));
    return dflt;
  }
}
