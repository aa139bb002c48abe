package dev.taillight.collector.store;

import static dev.taillight.collector.store.Fixtures.T0;
import static dev.taillight.collector.store.Fixtures.invocation;
import static dev.taillight.collector.store.Fixtures.line;
import static dev.taillight.collector.store.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationStatus;
import dev.taillight.collector.LineKind;
import dev.taillight.collector.LogLine;
import dev.taillight.collector.SpanData;
import dev.taillight.collector.TraceIds;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index of schema version 3 (invocations and spans found by their text ids) is converted to version 4 (integer
 * keys) when opened, and answers every lookup and search exactly as an index recorded by this version does.
 */
class StoreVersion3Test {
  @TempDir Path dir;

  private static final String TRACE = "5759e988bd862e3fe1be46a994272793";
  private static final String OTHER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  private final List<LogLine> lines = new ArrayList<>();
  private final List<Invocation> invocations = new ArrayList<>();
  private final List<SpanData> spans = new ArrayList<>();

  /** A few functions' worth of invocations, lines and spans, including an async retry and a cross-trace span. */
  private void workload() {
    for (int i = 0; i < 40; i++) {
      String req = "r-" + i;
      String fn = i % 3 == 0 ? "payments" : "orders";
      int stream = i % 4;
      long start = T0 + i * 100L;
      lines.add(line(fn, stream, start, req, LineKind.PLATFORM, "START RequestId: " + req));
      lines.add(line(fn, stream, start + 1, req, "processing order " + i + (i % 7 == 0 ? " card declined" : "")));
      lines.add(line(fn, stream, start + 5, req, LineKind.PLATFORM, "END RequestId: " + req));
      var b = invocation(fn, req).stream(stream).start(start).finished(4.5 + i)
          .trace(i == 5 ? "1-5759e988-bd862e3fe1be46a994272793" : i == 6 ? OTHER_TRACE : null);
      if (i % 7 == 0) {
        b.status(InvocationStatus.ERROR).error("CardDeclined", "card declined");
      }
      if (i % 10 == 0) {
        b.cold(300.0 + i);
      }
      invocations.add(i == 39 ? invocation(fn, req).stream(stream).start(start).build() : b.build()); // 39 running
    }
    // the same request id again in another stream (an async retry)
    lines.add(line("orders", 9, T0 + 9000, "r-5", "retrying order 5"));
    invocations.add(invocation("orders", "r-5").stream(9).start(T0 + 9000).finished(7).build());
    spans.add(span(TRACE, "53995c3f42cd8ad8", null, "r-5", T0 + 500, T0 + 510, Map.of("faas.coldstart", false)));
    spans.add(span(TRACE, "0af7651916cd43dd", "53995c3f42cd8ad8", null, T0 + 501, T0 + 502, Map.of()));
    // r-6 carries another trace id but owns a span of TRACE
    spans.add(span(TRACE, "b7ad6b7169203331", "53995c3f42cd8ad8", "r-6", T0 + 600, T0 + 610, Map.of("n", 3L)));
    spans.add(new SpanData(OTHER_TRACE, "00f067aa0ba902b7", null, "x", null, T0 * 1_000_000, T0 * 1_000_000 + 5,
        null, null, null, Map.of("faas.invocation_id", "r-6"), List.of(), List.of(), null, null));
  }

  private void record(Store store) {
    lines.forEach(store::onLine);
    spans.forEach(store::onSpan);
    invocations.forEach(store::onInvocationFinished);
    store.flush();
  }

  /** Writes the workload the way version 3 stored it: text ids, unique (request, group, stream) and (trace, span). */
  private void writeVersion3(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("PRAGMA auto_vacuum = INCREMENTAL");
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("BEGIN");
      for (int v = 0; v < 3; v++) {
        Schema.MIGRATIONS.get(v).apply(c, s);
      }
      Names names = new Names();
      Function<String[], Long> id = kn -> {
        try {
          return names.idOrCreate(c, Integer.parseInt(kn[0]), kn[1]);
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      };
      try (Blocks blocks = new Blocks(c)) {
        Map<List<String>, List<BlockCodec.Row>> byStream = new LinkedHashMap<>();
        for (LogLine l : lines) {
          byStream.computeIfAbsent(List.of(l.event().logGroup(), l.event().logStream(), l.function()),
              k -> new ArrayList<>()).add(new BlockCodec.Row(l.timestamp(), l.event().ingestionTime(),
                  l.event().eventId(), Codec.kindCode(l), l.level(), l.requestId(), l.event().message(), l.text()));
        }
        for (Map.Entry<List<String>, List<BlockCodec.Row>> e : byStream.entrySet()) {
          blocks.insert(id.apply(new String[] {"0", e.getKey().get(0)}), id.apply(new String[] {"1", e.getKey().get(1)}),
              id.apply(new String[] {"2", e.getKey().get(2)}), e.getValue());
        }
        blocks.writeDocuments();
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO invocations (req, grp, stream, fn, start_ts, end_ts,"
          + " cold, init, restore, dur, billed, mem, maxmem, status, etype, emsg, trace, cost)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Invocation inv : invocations) {
          p.setString(1, inv.requestId());
          p.setLong(2, id.apply(new String[] {"0", inv.logGroup()}));
          p.setLong(3, id.apply(new String[] {"1", inv.logStream()}));
          p.setLong(4, id.apply(new String[] {"2", inv.function()}));
          p.setLong(5, inv.startTime());
          p.setObject(6, inv.endTime(), Types.BIGINT);
          p.setInt(7, inv.coldStart() ? 1 : 0);
          p.setObject(8, inv.initDurationMs(), Types.DOUBLE);
          p.setObject(9, inv.restoreDurationMs(), Types.DOUBLE);
          p.setObject(10, inv.durationMs(), Types.DOUBLE);
          p.setObject(11, inv.billedDurationMs(), Types.DOUBLE);
          p.setObject(12, inv.memorySizeMb(), Types.BIGINT);
          p.setObject(13, inv.maxMemoryUsedMb(), Types.BIGINT);
          p.setString(14, inv.status().name());
          p.setString(15, inv.errorType());
          p.setString(16, inv.errorMessage());
          p.setString(17, TraceIds.normalize(inv.traceId()));
          p.setObject(18, inv.costUsd(), Types.DOUBLE);
          p.executeUpdate();
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO spans (trace, span, parent, name, kind, start_ns,"
          + " end_ns, status_code, status_msg, service, attrs, events, links, grp, stream, inv, warn)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
        for (SpanData sp : spans) {
          p.setString(1, TraceIds.normalize(sp.traceId()));
          p.setString(2, sp.spanId());
          p.setString(3, sp.parentSpanId());
          p.setString(4, sp.name());
          p.setString(5, sp.kind());
          p.setLong(6, sp.startEpochNanos());
          p.setLong(7, sp.endEpochNanos());
          p.setString(8, sp.statusCode());
          p.setString(9, sp.statusMessage());
          p.setString(10, sp.serviceName());
          p.setString(11, Codec.attrs(sp.attributes()));
          p.setString(12, Codec.events(sp.events()));
          p.setString(13, Codec.links(sp.links()));
          p.setString(14, sp.logGroup());
          p.setString(15, sp.logStream());
          p.setString(16, sp.invocationId());
          p.executeUpdate();
        }
      }
      s.execute("PRAGMA user_version = 3");
      s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
      s.execute("COMMIT");
    }
  }

  @Test
  void a_version_3_index_is_converted_and_answers_like_one_recorded_by_this_version() throws Exception {
    workload();
    Path old = dir.resolve("v3.db");
    writeVersion3(old);
    try (Store converted = Store.open(old); Store fresh = Store.open(dir.resolve("v4.db"))) {
      record(fresh);
      for (Store store : List.of(converted, fresh)) {
        assertThat(store.invocations("r-5")).extracting(Invocation::logStream)
            .containsExactly(Fixtures.stream(1), Fixtures.stream(9));
        assertThat(store.invocation("r-6").orElseThrow().spans()).extracting(SpanData::spanId)
            .containsExactlyInAnyOrder("b7ad6b7169203331", "00f067aa0ba902b7");
        assertThat(store.trace("1-5759e988-bd862e3fe1be46a994272793").orElseThrow().invocations())
            .extracting(Invocation::requestId).containsExactlyInAnyOrder("r-5", "r-5", "r-6"); // r-5 retried
        assertThat(store.search(InvocationQuery.builder().traceId(OTHER_TRACE).build()))
            .extracting(Invocation::requestId).containsExactly("r-6");
      }
      for (String req : List.of("r-0", "r-5", "r-6", "r-7", "r-39", "r-none")) {
        assertThat(converted.invocations(req)).as(req).isEqualTo(fresh.invocations(req));
      }
      for (String trace : List.of(TRACE, OTHER_TRACE, "0af7651916cd43dd8448eb211c80319c")) {
        assertThat(converted.trace(trace)).as(trace).isEqualTo(fresh.trace(trace));
      }
      List<InvocationQuery> queries = List.of(InvocationQuery.builder().text("declined").build(),
          InvocationQuery.builder().text("order").limit(7).build(),
          InvocationQuery.builder().errorsOnly().build(),
          InvocationQuery.builder().traceId(TRACE).build());
      for (InvocationQuery q : queries) {
        assertThat(converted.search(q)).as(q.toString()).isEqualTo(fresh.search(q));
        assertThat(converted.searchLines(q)).as(q.toString()).isEqualTo(fresh.searchLines(q));
      }

      // converted rows take part in later recording: a finished snapshot replaces the converted running one, a
      // running one does not replace a converted finished one
      Invocation finished = invocation("payments", "r-39").stream(3).start(T0 + 3900).finished(9).build();
      converted.onInvocationFinished(finished);
      converted.onInvocationStarted(invocation("orders", "r-38").stream(2).start(T0 + 3800).build());
      converted.flush();
      assertThat(converted.invocations("r-39")).singleElement().extracting(Invocation::status)
          .isEqualTo(InvocationStatus.OK);
      assertThat(converted.invocations("r-38")).singleElement().extracting(Invocation::status)
          .isEqualTo(InvocationStatus.OK);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      assertThat(rs.getInt(1)).isEqualTo(Schema.currentVersion());
    }
  }
}
