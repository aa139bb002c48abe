package dev.taillight.benchmarks.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.SpanData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticLogsTest {

  /** Everything one invocation hands to a listener, in order. */
  private static List<Object> events(long n, boolean reference) {
    List<Object> out = new ArrayList<>();
    InvocationListener l = new InvocationListener() {
      @Override
      public void onLine(LogLine line) {
        out.add(line);
      }

      @Override
      public void onInvocationStarted(Invocation invocation) {
        out.add(invocation);
      }

      @Override
      public void onInvocationFinished(Invocation invocation) {
        out.add(invocation);
      }

      @Override
      public void onSpan(SpanData span) {
        out.add(span);
      }
    };
    int lines = reference ? FormatSyntheticLogs.emit(n, l) : SyntheticLogs.emit(n, l);
    assertThat(lines).isEqualTo(SyntheticLogs.LINES_PER_INVOCATION);
    return out;
  }

  @Test
  void emitsTheSameEventsAsTheStringFormatGenerator() {
    for (long start : new long[] {0, 4_990_000, 123_456_789_000L}) {
      for (long n = start; n < start + 10_000; n++) {
        List<Object> fast = events(n, false);
        assertThat(fast).as("invocation %d", n).isEqualTo(events(n, true));
      }
    }
  }

  @Test
  void idsHaveTheStringFormatShapes() {
    for (long n = 0; n < 10_000; n++) {
      assertThat(SyntheticLogs.requestId(n)).isEqualTo(FormatSyntheticLogs.requestId(n))
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}");
      assertThat(SyntheticLogs.traceId(n)).isEqualTo(FormatSyntheticLogs.traceId(n)).matches("[0-9a-f]{32}");
    }
  }
}
