package dev.taillight.localruntime;

import java.util.Locale;

/**
 * An X-Ray trace context as the Runtime API hands it to the function: root trace id, parent (segment) id and
 * sampling decision.
 *
 * @param traceId X-Ray root id, {@code 1-<8 hex epoch seconds>-<24 hex>}
 * @param segmentId the function's segment id (16 hex), sent as {@code Parent}
 * @param sampled whether the trace is sampled
 */
record XRay(String traceId, String segmentId, boolean sampled) {

  /** {@code Root=1-...;Parent=...;Sampled=1}. */
  String header() {
    return "Root=" + traceId + ";Parent=" + segmentId + ";Sampled=" + (sampled ? "1" : "0");
  }

  /**
   * Continues an incoming header (keeping its root and sampling decision, with a new segment id), or starts a
   * new trace when {@code incoming} is null or has no usable root. Never throws.
   */
  static XRay continueOrStart(String incoming, boolean defaultSampled, Ids ids, long epochSeconds) {
    String root = null;
    Boolean sampled = null;
    if (incoming != null) {
      for (String part : incoming.split(";")) {
        String p = part.strip();
        int eq = p.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String key = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String value = p.substring(eq + 1).strip();
        if (key.equals("root") && value.matches("1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}")) {
          root = value.toLowerCase(Locale.ROOT);
        } else if (key.equals("sampled")) {
          sampled = value.equals("1");
        }
      }
    }
    if (root == null) {
      root = "1-" + String.format("%08x", epochSeconds) + "-" + ids.hex(24);
    }
    return new XRay(root, ids.hex(16), sampled != null ? sampled : defaultSampled);
  }
}
