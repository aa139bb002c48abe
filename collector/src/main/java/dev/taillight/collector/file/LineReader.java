package dev.taillight.collector.file;

import java.io.IOException;
import java.io.Reader;

/**
 * Splits text into lines at {@code \n} only (a lone {@code \r} stays in the line: Lambda's Java runtime writes
 * multi-line messages with {@code \r} separators), dropping a {@code \r} before the {@code \n}. Counts lines
 * for error messages. Not thread-safe.
 */
final class LineReader {
  private final Reader in;
  private final char[] buf = new char[8192];
  private int pos;
  private int limit;
  private long lineNumber;

  LineReader(Reader in) {
    this.in = in;
  }

  /** The next line without its terminator, or null at the end. */
  String readLine() throws IOException {
    StringBuilder sb = null;
    while (true) {
      if (pos >= limit) {
        limit = in.read(buf, 0, buf.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          if (sb == null) {
            return null;
          }
          lineNumber++;
          return stripCr(sb);
        }
      }
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      if (sb == null) {
        sb = new StringBuilder(Math.max(16, pos - start));
      }
      sb.append(buf, start, pos - start);
      if (pos < limit) {
        pos++; // the '\n'
        lineNumber++;
        return stripCr(sb);
      }
    }
  }

  /** The 1-based number of the line last returned. */
  long lineNumber() {
    return lineNumber;
  }

  /** A reader over {@code prefix} followed by everything not yet read. */
  Reader remainderWith(String prefix) {
    return new Reader() {
      private int prefixPos;

      @Override
      public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        if (prefixPos < prefix.length()) {
          int n = Math.min(len, prefix.length() - prefixPos);
          prefix.getChars(prefixPos, prefixPos + n, cbuf, off);
          prefixPos += n;
          return n;
        }
        if (pos < limit) {
          int n = Math.min(len, limit - pos);
          System.arraycopy(buf, pos, cbuf, off, n);
          pos += n;
          return n;
        }
        return in.read(cbuf, off, len);
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  private static String stripCr(StringBuilder sb) {
    int n = sb.length();
    if (n > 0 && sb.charAt(n - 1) == '\r') {
      sb.setLength(n - 1);
    }
    return sb.toString();
  }
}
