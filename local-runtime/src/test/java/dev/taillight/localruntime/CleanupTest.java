package dev.taillight.localruntime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** No child JVM outlives its runtime: not after close, not after the parent is killed outright. */
@Timeout(60)
class CleanupTest {

  @Test
  void close_stops_every_child_and_frees_its_runtime_api_port() throws Exception {
    InMemorySink sink = new InMemorySink();
    List<ProcessHandle> children;
    String runtimeApi;
    try (LocalRuntime rt = LocalRuntime.builder()
        .function(FunctionConfig.builder(LocalRuntimeTest.HANDLER).classpath(LocalRuntimeTest.CODE).build())
        .sink(sink).reapIdleInBackground(false).build()) {
      InvocationResult r = rt.invoke("{\"action\":\"none\"}");
      assertThat(r.succeeded()).isTrue();
      children = ProcessHandle.current().children()
          .filter(p -> p.info().commandLine().orElse("").contains("dev.taillight.localruntime.child.ChildMain"))
          .toList();
      assertThat(children).hasSize(1);
      runtimeApi = environmentOf(children.get(0));
    }
    assertThat(children.get(0).isAlive()).isFalse();
    assertThat(ProcessRegistry.liveCount()).isZero();
    if (runtimeApi != null) {
      String[] hostPort = runtimeApi.split(":");
      try (Socket s = new Socket()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000))
            .isInstanceOf(java.net.ConnectException.class);
      }
    }
  }

  /** AWS_LAMBDA_RUNTIME_API of a live process, read from /proc (null where there is no /proc). */
  private static String environmentOf(ProcessHandle p) {
    try {
      byte[] env = java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
      for (String kv : new String(env, StandardCharsets.UTF_8).split("\0")) {
        if (kv.startsWith("AWS_LAMBDA_RUNTIME_API=")) {
          return kv.substring(kv.indexOf('=') + 1);
        }
      }
    } catch (java.io.IOException e) {
      return null;
    }
    return null;
  }

  @Test
  void children_halt_when_their_parent_is_killed_with_sigkill() throws Exception {
    runParentThenKill(true);
  }

  @Test
  void ctrl_c_or_sigterm_of_the_parent_kills_children_and_removes_the_work_directory() throws Exception {
    Path workDir = runParentThenKill(false);
    assertThat(workDir).as("the shutdown hook removes the work directory").doesNotExist();
  }

  /** Starts a parent JVM running one invocation, kills it, checks its environments are gone. */
  private static Path runParentThenKill(boolean sigkill) throws Exception {
    String javaCmd = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(javaCmd, "-cp", System.getProperty("java.class.path"),
        OrphanParent.class.getName(), LocalRuntimeTest.CODE.toAbsolutePath().toString()));
    Process parent = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<ProcessHandle> children = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
        // skip anything else the parent prints
      }
      assertThat(line).as("the parent ran an invocation").startsWith("READY SUCCESS ");
      for (String pid : line.substring("READY SUCCESS ".length()).trim().split(" ")) {
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(children::add);
      }
      assertThat(children).isNotEmpty().allMatch(ProcessHandle::isAlive);
      Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
      Path workDir;
      try (var dirs = java.nio.file.Files.newDirectoryStream(tmp,
          LocalRuntime.WORK_DIR_PREFIX + parent.pid() + "-*")) {
        workDir = dirs.iterator().next();
      }

      if (sigkill) {
        parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
      } else {
        parent.destroy(); // SIGTERM, like Ctrl-C: the shutdown hook runs
      }
      parent.waitFor(15, TimeUnit.SECONDS);
      for (ProcessHandle child : children) {
        child.onExit().get(15, TimeUnit.SECONDS);
        assertThat(child.isAlive()).isFalse();
      }
      return workDir;
    } finally {
      parent.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void work_directories_of_runtimes_killed_outright_are_removed_by_the_next_runtime(@org.junit.jupiter.api.io.TempDir
      Path tmp) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path stale = java.nio.file.Files.createDirectory(tmp.resolve(LocalRuntime.WORK_DIR_PREFIX + gone.pid() + "-123"));
    java.nio.file.Files.writeString(stale.resolve("abc-1.out"), "");
    Path live = java.nio.file.Files.createDirectory(
        tmp.resolve(LocalRuntime.WORK_DIR_PREFIX + ProcessHandle.current().pid() + "-456"));

    assertThat(LocalRuntime.Builder.removeStaleWorkDirs(tmp)).isEqualTo(1);
    assertThat(stale).doesNotExist();
    assertThat(live).exists();
  }
}
