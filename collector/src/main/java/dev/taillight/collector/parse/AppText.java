package dev.taillight.collector.parse;

/**
 * Reads text application lines: Lambda's {@code ts\treqid\tLEVEL\tmsg} (Node, Java with the runtime's logger),
 * Python's {@code [LEVEL]\tts\treqid\tmsg}, Log4j2 LambdaAppender's {@code <reqid> <LEVEL> Class:line - msg}, and
 * anything else as plain text. Also spots {@code <ts> <reqid> Task timed out after N seconds}. Hand-scanned.
 */
final class AppText {
  private AppText() {}

  static ParsedLine parse(String m) {
    int n = m.length();
    int i = 0;
    String level = null;
    if (m.charAt(0) == '[') {
      int close = m.indexOf(']');
      if (close > 1 && close < 12) {
        level = Scan.level(m, 1, close);
        if (level != null) {
          i = Scan.skipWs(m, close + 1);
        }
      }
    }
    // optional timestamp: 2019-06-07T19:11:20.562Z
    if (i < n && isDigit(m.charAt(i)) && i + 10 <= n && m.charAt(i + 4) == '-') {
      int e = Scan.wordEnd(m, i);
      if (e - i >= 10) {
        i = Scan.skipWs(m, e);
      }
    }
    // Scan.isRequestIdAt(m, i), its shape checked by RequestIds (once per id)
    String requestId = i + 36 <= n && (i + 36 == n || Scan.isWs(m.charAt(i + 36))) && m.charAt(i + 8) == '-'
        ? RequestIds.lambdaId(m, i) : null;
    if (requestId == null) {
      if (m.startsWith("Task timed out after ", i)) {
        return ParsedLine.platform(TextPlatformParser.timeout(m, i, null), Scan.trimEnd(m));
      }
      return ParsedLine.app(level, null, Scan.trimEnd(m));
    }
    i = Scan.skipWs(m, i + 36);
    int we = Scan.wordEnd(m, i);
    String lvl = Scan.level(m, i, we);
    if (lvl != null) {
      level = lvl;
      // the message starts after exactly one separator; keep the message's own leading spaces otherwise
      i = we < n && (m.charAt(we) == '\t' || m.charAt(we) == ' ') ? Scan.skipWs(m, we) : we;
    }
    if (m.startsWith("Task timed out after ", i)) {
      return ParsedLine.platform(TextPlatformParser.timeout(m, i, requestId), Scan.trimEnd(m));
    }
    return ParsedLine.app(level, requestId, Scan.restTrimmed(m, i));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
