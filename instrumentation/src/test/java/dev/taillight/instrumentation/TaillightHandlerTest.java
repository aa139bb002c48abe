package dev.taillight.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaillightHandlerTest {
  private final Tracers t = new Tracers();
  private static final String H = "dev.taillight.instrumentation.handlers.Handlers$";

  private String run(String handler, byte[] event) throws IOException {
    Tracer tracer = t.build();
    Map<String, String> env = Map.of(TaillightHandler.HANDLER_ENV, handler);
    TaillightHandler h = new TaillightHandler(tracer, env::get, getClass().getClassLoader());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    h.handleRequest(new ByteArrayInputStream(event), out, FakeLambdaContext.create("req-1"));
    return out.toString(StandardCharsets.UTF_8);
  }

  private String run(String handler, String event) throws IOException {
    return run(handler, event.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void request_handler_on_a_map_event() throws IOException {
    assertThat(run(H + "MapHandler", "{\"name\":\"Ada\"}")).isEqualTo("\"hello Ada\"");
    SpanLine line = SpanLine.parse(t.writer.only());
    assertThat(line.attr("faas.invocation_id")).isEqualTo("req-1");
  }

  @Test
  void request_handler_with_method_name_and_pojo_bound_through_a_generic_superclass() throws IOException {
    String out = run(H + "PojoHandler::handleRequest", "{\"id\":\"o-1\",\"quantity\":3}");
    assertThat(new ObjectMapper().readTree(out))
        .isEqualTo(new ObjectMapper().readTree("{\"id\":\"o-1-confirmed\",\"quantity\":6}"));
  }

  @Test
  void aws_events_types_are_deserialised_as_the_runtime_does_and_the_status_code_is_recorded()
      throws IOException {
    String out = run(H + "HttpHandler", Fixtures.bytes("apigw-http-v2.json"));
    assertThat(new ObjectMapper().readTree(out).path("body").asText()).isEqualTo("POST /prod/orders/42");
    SpanLine line = SpanLine.parse(t.writer.only());
    assertThat(line.attr("http.response.status_code")).isEqualTo(503L);
    assertThat(line.invocation().path("status").path("code").asInt()).isEqualTo(2);
    assertThat(line.invocation().path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void stream_handler_gets_the_exact_bytes() throws IOException {
    byte[] event = Fixtures.bytes("sns.json");
    assertThat(run(H + "Echo", event).getBytes(StandardCharsets.UTF_8)).isEqualTo(event);
    assertThat(SpanLine.parse(t.writer.only()).attr("aws.lambda.event_source")).isEqualTo("sns");
  }

  @Test
  void stream_handler_http_response_status_is_read_from_its_output() throws IOException {
    run(H + "Echo", "{\"statusCode\": 502, \"body\": \"x\", \"requestContext\": {\"http\": {\"method\": \"GET\", \"path\": \"/\"}}}");
    SpanLine line = SpanLine.parse(t.writer.only());
    assertThat(line.attr("http.response.status_code")).isEqualTo(502L);
    assertThat(line.invocation().path("status").path("code").asInt()).isEqualTo(2);
  }

  @Test
  void status_code_scan_never_throws_and_needs_three_digits() {
    byte[] ok = "{\"headers\":{},\"statusCode\":201}".getBytes(StandardCharsets.UTF_8);
    assertThat(StatusCapture.statusCode(ok, ok.length)).isEqualTo(201);
    byte[] cut = "{\"statusCode\":2".getBytes(StandardCharsets.UTF_8);
    assertThat(StatusCapture.statusCode(cut, cut.length)).isEqualTo(-1);
    byte[] none = "hello".getBytes(StandardCharsets.UTF_8);
    assertThat(StatusCapture.statusCode(none, none.length)).isEqualTo(-1);
  }

  @Test
  void plain_instance_method_with_context() throws IOException {
    assertThat(run(H + "Plain::greet", "\"Bob\"")).isEqualTo("\"hi Bob from orders\"");
  }

  @Test
  void plain_static_method_without_context() throws IOException {
    assertThat(run(H + "Plain::twice", "21")).isEqualTo("42");
  }

  @Test
  void plain_stream_method() throws IOException {
    assertThat(run(H + "Plain::streams", "{\"a\":1}")).isEqualTo("len=7");
  }

  @Test
  void exception_of_a_plain_method_passes_through_unchanged() {
    assertThatThrownBy(() -> run(H + "Plain::fail", "{}"))
        .isExactlyInstanceOf(IOException.class).hasMessage("upstream unavailable");
    SpanLine line = SpanLine.parse(t.writer.only());
    assertThat(line.invocation().path("events").get(0).path("name").asText()).isEqualTo("exception");
  }

  @Test
  void missing_handler_variable_fails_init_saying_what_to_set() {
    assertThatThrownBy(() -> run("", "{}")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TAILLIGHT_HANDLER is not set");
  }

  @Test
  void unknown_class_fails_init_naming_it() {
    assertThatThrownBy(() -> run("com.example.Nope::handleRequest", "{}"))
        .hasMessageContaining("class com.example.Nope not found");
  }

  @Test
  void unknown_method_fails_init_naming_it() {
    assertThatThrownBy(() -> run(H + "Plain::nothing", "{}")).hasMessageContaining("no public method nothing");
  }

  @Test
  void class_without_interface_needs_a_method_name() {
    assertThatThrownBy(() -> run(H + "Plain", "{}")).hasMessageContaining("name the method");
  }

  @Test
  void handler_without_no_arg_constructor_fails_init_clearly() {
    assertThatThrownBy(() -> run(H + "NoConstructor", "{}")).hasMessageContaining("public no-argument constructor");
  }

  @Test
  void pointing_at_itself_is_refused() {
    assertThatThrownBy(() -> run("dev.taillight.instrumentation.TaillightHandler::handleRequest", "{}"))
        .hasMessageContaining("names TaillightHandler itself");
  }

  @Test
  void a_traced_handler_behind_taillight_handler_writes_one_line() throws IOException {
    run("dev.taillight.instrumentation.TaillightHandlerTest$Inner", "{}");
    assertThat(t.writer.lines()).hasSize(1);
  }

  /** A TracedRequestHandler named in TAILLIGHT_HANDLER: the outer wrapper traces, the inner passes. */
  public static class Inner extends TracedRequestHandler<Map<String, Object>, String> {
    @Override
    protected String doHandleRequest(Map<String, Object> input, com.amazonaws.services.lambda.runtime.Context c) {
      return "inner";
    }
  }

  @Test
  void builtin_codec_handles_simple_types_without_the_runtime_library() throws IOException {
    Codecs.TreeCodec codec = new Codecs.TreeCodec(Object.class);
    Object v = codec.read("{\"a\":[1,2.5,\"x\",null,true]}".getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    codec.write(v, out);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":[1,2.5,\"x\",null,true]}");
    assertThat(new Codecs.TreeCodec(String.class).read("not json".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("not json");
    assertThat(new Codecs.TreeCodec(Integer.class).read("7".getBytes(StandardCharsets.UTF_8))).isEqualTo(7);
  }
}
