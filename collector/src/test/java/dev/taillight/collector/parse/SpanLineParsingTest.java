package dev.taillight.collector.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.collector.LineKind;
import dev.taillight.collector.SpanData;
import dev.taillight.testing.Samples;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class SpanLineParsingTest {
  static final String TRACE = "5759e988bd862e3fe1be46a994272793";
  static final String REQUEST = "4b142fc3-17b8-4cdb-a46b-a8dbe7918715";

  private final LineParser parser = LineParser.create();

  @Test
  void otlp_json_span_line_gives_the_invocation_span_and_its_children() {
    String line = Samples.resource(SpanLineParsingTest.class, "samples/spans/otlp-json-invocation-span.json");
    ParsedLine p = parser.parse(line, "/aws/lambda/orders-api", "stream-1");
    assertThat(p.kind()).isEqualTo(LineKind.SPAN);
    assertThat(p.requestId()).isEqualTo(REQUEST);
    assertThat(p.spans()).hasSize(2);
    SpanData inv = p.spans().get(0);
    assertThat(inv.traceId()).isEqualTo(TRACE);
    assertThat(inv.spanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(inv.parentSpanId()).isNull();
    assertThat(inv.kind()).isEqualTo("SERVER");
    assertThat(inv.serviceName()).isEqualTo("orders-api");
    assertThat(inv.startEpochNanos()).isEqualTo(1716222585008000000L);
    assertThat(inv.durationNanos()).isEqualTo(11_642_000L);
    assertThat(inv.invocationId()).isEqualTo(REQUEST);
    assertThat(inv.attributes()).containsEntry("faas.coldstart", true)
        .containsEntry("faas.max_memory", 536870912L)
        .containsEntry("aws.lambda.init_duration_ms", 174.055)
        .containsEntry("aws.lambda.architecture", "arm64")
        .containsEntry("cloud.region", "us-east-1")
        .containsEntry("aws.log.group.names", List.of("/aws/lambda/orders-api"));
    assertThat(inv.links()).singleElement().satisfies(l -> {
      assertThat(l.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(l.spanId()).isEqualTo("b7ad6b7169203331");
      assertThat(l.attributes()).containsEntry("messaging.message.id", "m-1");
    });
    assertThat(inv.statusCode()).isEqualTo("UNSET");
    assertThat(inv.logGroup()).isEqualTo("/aws/lambda/orders-api");
    SpanData init = p.spans().get(1);
    assertThat(init.name()).isEqualTo("init");
    assertThat(init.parentSpanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(init.kind()).isEqualTo("INTERNAL");
  }

  static io.opentelemetry.sdk.trace.data.SpanData otelSpan() {
    return TestSpanData.builder()
        .setName("payments-worker")
        .setKind(SpanKind.CONSUMER)
        .setSpanContext(SpanContext.create(TRACE, "1122334455667788", TraceFlags.getSampled(),
            TraceState.getDefault()))
        .setParentSpanContext(SpanContext.create(TRACE, "53995c3f42cd8ad8", TraceFlags.getSampled(),
            TraceState.getDefault()))
        .setStartEpochNanos(1716222585100000000L)
        .setEndEpochNanos(1716222585150000000L)
        .setAttributes(Attributes.builder()
            .put("faas.invocation_id", "0f5a8e1c-3a34-4a4b-9f5e-2d3c4b5a6978")
            .put("faas.coldstart", false)
            .put("retries", 3L)
            .put("ratio", 0.5)
            .put(AttributeKey.stringArrayKey("aws.log.group.names"), List.of("/aws/lambda/payments-worker"))
            .build())
        .setEvents(List.of(EventData.create(1716222585140000000L, "exception", Attributes.builder()
            .put("exception.type", "java.lang.IllegalStateException")
            .put("exception.message", "card declined").build())))
        .setLinks(List.of(LinkData.create(SpanContext.create("0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault()))))
        .setStatus(StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR, "card declined"))
        .setResource(Resource.create(Attributes.builder().put("service.name", "payments-worker").build()))
        .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("otlp-stdout-span-exporter"))
        .setHasEnded(true)
        .setTotalRecordedEvents(1)
        .setTotalRecordedLinks(1)
        .setTotalAttributeCount(5)
        .build();
  }

  /** The otlp-stdout-span-exporter envelope: gzip of OTLP protobuf, base64 in {@code payload}. */
  static String envelope(io.opentelemetry.sdk.trace.data.SpanData span) throws IOException {
    ByteArrayOutputStream proto = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(List.of(span)).writeBinaryTo(proto);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(proto.toByteArray());
    }
    return "{\"__otel_otlp_stdout\":\"0.1.0\",\"source\":\"payments-worker\",\"endpoint\":\"http://localhost:4318/v1/"
        + "traces\",\"method\":\"POST\",\"content-type\":\"application/x-protobuf\",\"content-encoding\":\"gzip\","
        + "\"headers\":{},\"payload\":\"" + Base64.getEncoder().encodeToString(gz.toByteArray())
        + "\",\"base64\":true,\"level\":\"INFO\"}";
  }

  private static void assertIsPaymentsSpan(SpanData s) {
    assertThat(s.traceId()).isEqualTo(TRACE);
    assertThat(s.spanId()).isEqualTo("1122334455667788");
    assertThat(s.parentSpanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(s.name()).isEqualTo("payments-worker");
    assertThat(s.kind()).isEqualTo("CONSUMER");
    assertThat(s.startEpochNanos()).isEqualTo(1716222585100000000L);
    assertThat(s.endEpochNanos()).isEqualTo(1716222585150000000L);
    assertThat(s.statusCode()).isEqualTo("ERROR");
    assertThat(s.statusMessage()).isEqualTo("card declined");
    assertThat(s.serviceName()).isEqualTo("payments-worker");
    assertThat(s.attributes()).containsEntry("faas.invocation_id", "0f5a8e1c-3a34-4a4b-9f5e-2d3c4b5a6978")
        .containsEntry("faas.coldstart", false).containsEntry("retries", 3L).containsEntry("ratio", 0.5)
        .containsEntry("aws.log.group.names", List.of("/aws/lambda/payments-worker"));
    assertThat(s.events()).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("exception");
      assertThat(e.epochNanos()).isEqualTo(1716222585140000000L);
      assertThat(e.attributes()).containsEntry("exception.message", "card declined");
    });
    assertThat(s.links()).singleElement().satisfies(l -> assertThat(l.spanId()).isEqualTo("b7ad6b7169203331"));
  }

  @Test
  void otlp_stdout_envelope_with_gzip_protobuf_payload_gives_the_spans() throws IOException {
    ParsedLine p = parser.parse(envelope(otelSpan()), "/aws/lambda/payments-worker", "s");
    assertThat(p.failure()).isNull();
    assertThat(p.kind()).isEqualTo(LineKind.SPAN);
    assertThat(p.requestId()).isEqualTo("0f5a8e1c-3a34-4a4b-9f5e-2d3c4b5a6978");
    assertThat(p.spans()).singleElement().satisfies(SpanLineParsingTest::assertIsPaymentsSpan);
  }

  @Test
  void otlp_json_written_by_opentelemetry_marshaler_reads_like_the_protobuf() throws IOException {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(List.of(otelSpan())).writeJsonTo(json);
    ParsedLine p = parser.parse(json.toString(StandardCharsets.UTF_8));
    assertThat(p.kind()).isEqualTo(LineKind.SPAN);
    assertThat(p.spans()).singleElement().satisfies(SpanLineParsingTest::assertIsPaymentsSpan);
  }

  @Test
  void envelope_with_json_payload_object_is_read() throws IOException {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(List.of(otelSpan())).writeJsonTo(json);
    String line = "{\"__otel_otlp_stdout\":\"otlp-stdout-client@0.2.1\",\"source\":\"payments-worker\","
        + "\"endpoint\":\"http://localhost:4318/v1/traces\",\"method\":\"POST\",\"payload\":"
        + json.toString(StandardCharsets.UTF_8) + ",\"headers\":{\"content-type\":\"application/json\"},"
        + "\"content-type\":\"application/json\"}";
    ParsedLine p = parser.parse(line);
    assertThat(p.spans()).singleElement().satisfies(SpanLineParsingTest::assertIsPaymentsSpan);
  }

  @Test
  void envelope_with_corrupt_payload_is_kept_as_app_line_and_flagged() throws IOException {
    String good = envelope(otelSpan());
    int at = good.indexOf("\"payload\":\"") + 11;
    String bad = good.substring(0, at + 20) + "AAAA" + good.substring(at + 24);
    ParsedLine p = parser.parse(bad);
    assertThat(p.kind()).isEqualTo(LineKind.APP);
    assertThat(p.failure()).isEqualTo(ParseFailure.BAD_ENVELOPE);
    assertThat(p.text()).isEqualTo(bad);
  }

  @Test
  void truncated_span_line_is_kept_as_app_line_and_flagged() {
    String line = Samples.resource(SpanLineParsingTest.class, "samples/spans/otlp-json-invocation-span.json");
    String cut = line.substring(0, 1500);
    ParsedLine p = parser.parse(cut);
    assertThat(p.kind()).isEqualTo(LineKind.APP);
    assertThat(p.failure()).isEqualTo(ParseFailure.MALFORMED_JSON);
    assertThat(p.text()).isEqualTo(cut);
  }

  @Test
  void xray_form_trace_ids_in_span_lines_are_normalised() {
    String line = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"1-5759e988-bd862e3fe1be46a994272793\","
        + "\"spanId\":\"53995C3F42CD8AD8\",\"name\":\"x\",\"kind\":\"SPAN_KIND_SERVER\",\"startTimeUnixNano\":1,"
        + "\"endTimeUnixNano\":2,\"status\":{\"code\":\"STATUS_CODE_ERROR\"}}]}]}]}";
    SpanData s = parser.parse(line).spans().get(0);
    assertThat(s.traceId()).isEqualTo(TRACE);
    assertThat(s.spanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(s.kind()).isEqualTo("SERVER");
    assertThat(s.statusCode()).isEqualTo("ERROR");
  }

  @Test
  void the_example_line_of_docs_span_format_reads_as_the_instrumentation_means_it() {
    // copied from docs/span-format.md (the instrumentation's contract), commit 7d6facf
    String line = Samples.resource(SpanLineParsingTest.class, "samples/spans/span-format-doc-example.json");
    ParsedLine p = parser.parse(line, "/aws/lambda/orders", "2026/11/28/[$LATEST]3a1f0c2b9d8e4f5a6b7c8d9e0f1a2b3c");
    assertThat(p.failure()).isNull();
    assertThat(p.kind()).isEqualTo(LineKind.SPAN);
    assertThat(p.requestId()).isEqualTo("8f507cfc-5b6a-4697-b07a-ac58fc914c95");
    assertThat(p.spans()).extracting(SpanData::name).containsExactly("init", "orders");
    SpanData inv = p.spans().get(1);
    assertThat(inv.kind()).isEqualTo("SERVER");
    assertThat(inv.parentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(inv.serviceName()).isEqualTo("orders");
    assertThat(inv.attributes()).containsEntry("faas.coldstart", true)
        .containsEntry("aws.lambda.init_duration_ms", 850L)
        .containsEntry("aws.lambda.estimated_billed_duration_ms", 887L)
        .containsEntry("aws.lambda.estimated_cost_usd", 0.000007591681)
        .containsEntry("faas.max_memory", 536870912L)
        .containsEntry("aws.lambda.architecture", "x86_64");
    assertThat(p.spans().get(0).parentSpanId()).isEqualTo("4c36a0d0c78d0149");
  }

  @Test
  void span_fields_that_do_not_come_first_are_still_recognised() throws IOException {
    String envelope = envelope(otelSpan());
    String reordered = "{\"level\":\"INFO\"," + envelope.substring(1);
    assertThat(parser.parse(reordered).spans()).singleElement().satisfies(SpanLineParsingTest::assertIsPaymentsSpan);
    String otlp = Samples.resource(SpanLineParsingTest.class, "samples/spans/otlp-json-invocation-span.json").trim();
    String later = "{\"note\":{\"a\":[1]}," + otlp.substring(1);
    assertThat(parser.parse(later).spans()).hasSize(2);
  }
}
