package dev.taillight.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The SAM template names handlers that exist, and one function uses the handler redirect. */
class TemplateTest {
  private final String template = read();

  private static String read() {
    try {
      return Files.readString(Path.of("template.yaml"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> values(String key) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\s+" + key + ": (\\S+)$").matcher(template);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void every_handler_in_the_template_is_a_class_with_a_handleRequest_method() throws Exception {
    List<String> handlers = new ArrayList<>(values("Handler"));
    handlers.addAll(values("TAILLIGHT_HANDLER"));

    assertThat(handlers).containsExactly(
        "dev.taillight.examples.OrdersApi",
        "dev.taillight.examples.PaymentWorker::handleRequest",
        "dev.taillight.instrumentation.TaillightHandler::handleRequest",
        "dev.taillight.examples.Notifier::handleRequest");
    for (String h : handlers) {
      Class<?> c = Class.forName(h.contains("::") ? h.substring(0, h.indexOf("::")) : h);
      assertThat(c.getMethods()).extracting(java.lang.reflect.Method::getName).contains("handleRequest");
    }
  }

  @Test
  void queue_urls_the_functions_read_are_set_in_the_template() {
    assertThat(template).contains("PAYMENTS_QUEUE_URL: !Ref PaymentsQueue")
        .contains("NOTIFICATIONS_QUEUE_URL: !Ref NotificationsQueue")
        .contains("CodeUri: target/taillight-examples.jar");
  }
}
