package dev.taillight.cli.render;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Number, duration, money and time formats shared by every renderer. Locale-independent. */
public final class Format {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

  private Format() {}

  /** Milliseconds for people: {@code 120.5 ms}, {@code 121 ms}, {@code 2.35 s}, {@code 1m05s}; {@code -} for null. */
  public static String ms(Double ms) {
    if (ms == null) {
      return "-";
    }
    double v = ms;
    if (v < 1000) {
      return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " ms";
    }
    if (v < 60_000) {
      return String.format(Locale.ROOT, "%.2f s", v / 1000);
    }
    long s = Math.round(v / 1000);
    return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  /** US dollars: 3 significant digits below a cent ({@code $0.00000208}), else 4 decimals. */
  public static String usd(Double usd) {
    if (usd == null) {
      return "-";
    }
    if (usd == 0) {
      return "$0";
    }
    if (Math.abs(usd) >= 0.01) {
      return String.format(Locale.ROOT, "$%.4f", usd);
    }
    BigDecimal d = new BigDecimal(usd).round(new MathContext(3, RoundingMode.HALF_UP)).stripTrailingZeros();
    return "$" + d.toPlainString();
  }

  /** A percentage with no decimals: {@code 12%}. */
  public static String percent(double fraction) {
    return Math.round(fraction * 100) + "%";
  }

  public static String time(long epochMillis, ZoneId zone) {
    return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
  }

  public static String dateTime(long epochMillis, ZoneId zone) {
    return DATE_TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
  }

  /** Pads or cuts {@code s} to exactly {@code width} characters. */
  public static String fit(String s, int width) {
    if (s.length() > width) {
      return width <= 1 ? s.substring(0, width) : s.substring(0, width - 1) + "~";
    }
    return s + " ".repeat(width - s.length());
  }

  /** Right-aligns {@code s} in {@code width} characters. */
  public static String right(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  /** Shortens a Lambda request id to its first 8 characters. */
  public static String shortId(String requestId) {
    return requestId == null ? "-" : requestId.length() <= 8 ? requestId : requestId.substring(0, 8);
  }
}
