package dev.taillight.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taillight.cli.demo.DemoPipeline;
import dev.taillight.collector.Collector;
import dev.taillight.collector.Invocation;
import dev.taillight.collector.InvocationListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PipelineSmokeTest {
  @Test
  void one_order() throws Exception {
    List<Invocation> done = new CopyOnWriteArrayList<>();
    List<String> lines = new CopyOnWriteArrayList<>();
    Collector collector = Collector.builder().listener(new InvocationListener() {
      @Override
      public void onInvocationFinished(Invocation inv) {
        done.add(inv);
      }
    }).build();
    dev.taillight.collector.LogSink sink = new dev.taillight.collector.LogSink() {
      @Override
      public void accept(dev.taillight.collector.RawEvent e) {
        lines.add(e.logGroup() + " " + e.message());
        collector.accept(e);
      }
    };
    try (DemoPipeline p = DemoPipeline.builder(Path.of(System.getProperty("taillight.examplesJar"))).sink(sink)
        .build()) {
      var r = p.postOrder("{\"orderId\":\"o-1\",\"customer\":\"ada\",\"amount\":42.5}");
      System.out.println("RESULT " + r);
      System.out.println(p.awaitIdle(Duration.ofSeconds(60)));
      System.out.println("FINISHED " + p.finished());
    }
    collector.finishAll();
    lines.forEach(l -> System.out.println("LINE " + l));
    done.forEach(i -> System.out.println("INV " + i));
    assertThat(done).hasSize(3);
  }
}
