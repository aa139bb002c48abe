package dev.taillight.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the time arguments of {@code --since}, {@code --until} and {@code --slower-than}: a duration ({@code
 * 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}, also combined as {@code 1h30m}), or for points in
 * time also an ISO-8601 instant ({@code 2026-11-28T03:00:00Z}), a local date-time ({@code 2026-11-28T03:00} or
 * {@code 2026-11-28 03:00}, in the clock's zone), a date, or {@code now}. Errors are usage errors that say
 * what is accepted.
 */
final class TimeArgs {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)");

  private TimeArgs() {}

  /** A duration like {@code 10m}; {@code option} names the option in the error message. */
  static Duration duration(String option, String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = PART.matcher(s);
    long nanos = 0;
    int at = 0;
    while (at < s.length() && m.find(at) && m.start() == at) {
      double v = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        case "d" -> 86_400_000_000_000L;
        default -> 604_800_000_000_000L;
      };
      nanos += (long) (v * unit);
      at = m.end();
    }
    if (s.isEmpty() || at != s.length()) {
      throw CliException.usage("invalid " + option + " '" + text + "': not a duration",
          "write a duration like 500ms, 30s, 10m, 2h, 7d or 1h30m");
    }
    return Duration.ofNanos(nanos);
  }

  /** A point in time: {@code now} minus a duration, or an absolute time. */
  static Instant instant(String option, String text, Instant now, ZoneId zone) {
    String s = text.trim();
    if (s.equalsIgnoreCase("now")) {
      return now;
    }
    if (!s.isEmpty() && Character.isDigit(s.charAt(0)) && PART.matcher(s.toLowerCase(Locale.ROOT)).lookingAt()
        && !s.contains("-") && !s.contains(":")) {
      return now.minus(duration(option, s));
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(s.replace(' ', 'T')).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDate.parse(s).atStartOfDay(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw CliException.usage("invalid " + option + " '" + text + "': not a time",
          "write a duration back from now (10m, 2h, 7d) or a time (2026-11-28T03:00:00Z, 2026-11-28 03:00,"
              + " 2026-11-28)");
    }
  }
}
