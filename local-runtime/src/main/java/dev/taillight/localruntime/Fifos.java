package dev.taillight.localruntime;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Named pipes between the runtime and a child: made with {@code mkfifo}, read by the pumps. */
final class Fifos {
  private Fifos() {}

  /** Makes FIFOs at {@code paths} with one {@code mkfifo} call. */
  static void make(Path... paths) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("mkfifo", "-m", "600"));
    for (Path p : paths) {
      cmd.add(p.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        throw new IOException("mkfifo failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making FIFOs", e);
    }
  }

  /**
   * Opens and closes the write end of {@code fifo} on a daemon thread, so that a reader blocked in open (because
   * the child died before opening its end) returns and sees end of file.
   */
  static void openWriteEndOnce(Path fifo) {
    Thread opener = new Thread(() -> {
      try (var out = new FileOutputStream(fifo.toFile())) {
        // opening is enough
      } catch (IOException ignored) {
        // nothing to release
      }
    }, "taillight-fifo-release");
    opener.setDaemon(true);
    opener.start();
  }
}
