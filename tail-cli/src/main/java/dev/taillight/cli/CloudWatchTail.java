package dev.taillight.cli;

import dev.taillight.cli.render.TailRenderer;
import dev.taillight.cli.tui.TuiFeed;
import dev.taillight.collector.InvocationListener;
import dev.taillight.collector.store.Store;
import java.util.List;

/** {@code tail} from CloudWatch Logs: polling or Live Tail. */
final class CloudWatchTail {
  private CloudWatchTail() {}

  static int run(CliContext ctx, TailCommand cmd, List<InvocationListener> listeners, TailRenderer renderer,
      Store store, TuiFeed feed) {
    throw CliException.failure("tailing CloudWatch is not available in this build yet",
        "read exported logs with --from FILE", null);
  }
}
