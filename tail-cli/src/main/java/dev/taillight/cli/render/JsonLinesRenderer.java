package dev.taillight.cli.render;

import dev.taillight.collector.LogLine;
import java.io.PrintStream;
import java.time.Instant;

/** {@code --format json}: one JSON object per log line, as lines arrive. */
public final class JsonLinesRenderer implements TailRenderer {
  private final PrintStream out;
  private final LineFilter filter;

  public JsonLinesRenderer(PrintStream out, LineFilter filter) {
    this.out = out;
    this.filter = filter;
  }

  @Override
  public void onLine(LogLine line) {
    if (!filter.test(line)) {
      return;
    }
    out.println(Json.object()
        .put("time", Instant.ofEpochMilli(line.timestamp()).toString())
        .put("function", line.function())
        .put("logGroup", line.event().logGroup())
        .put("logStream", line.event().logStream())
        .put("requestId", line.requestId())
        .put("kind", line.kind().name().toLowerCase(java.util.Locale.ROOT))
        .put("level", line.level())
        .put("message", line.text())
        .put("eventId", line.event().eventId()));
  }

  @Override
  public void finish() {
    out.flush();
  }
}
