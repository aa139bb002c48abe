package dev.taillight.localruntime;

import dev.taillight.localruntime.child.ChildMain;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts the JVM of one execution environment: the runtime interface client with the function's code, the
 * environment variables Lambda sets, a heap of 85% of the memory setting, and fd 3 opened on a FIFO for the
 * client's framed log messages ({@code _LAMBDA_TELEMETRY_LOG_FD=3}).
 *
 * <p>The command is {@code sh -c 'exec 1>"$1" 2>"$2" 3>"$3" && shift 3 && exec "$@"' out err log java ...}: the
 * shell opens three FIFOs as stdout, stderr and fd 3 and replaces itself with the JVM, so the child's pid is the JVM's pid (its /proc status gives Max Memory Used).
 */
final class ChildLauncher {

  /** Classes whose jars (or class directories) make up the runtime side of the child's classpath. */
  private static final List<String> RUNTIME_CLASSES = List.of(
      ChildMain.class.getName(),
      "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
      "com.amazonaws.services.lambda.runtime.Context",
      "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
      "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");

  private ChildLauncher() {}

  /**
   * Finds the runtime interface client, its dependencies and our child entry point on this JVM's classpath.
   *
   * @throws IllegalStateException naming the missing class when one cannot be found
   */
  static List<Path> runtimeClasspath() {
    Set<Path> entries = new LinkedHashSet<>();
    for (String name : RUNTIME_CLASSES) {
      try {
        Class<?> c = Class.forName(name, false, ChildLauncher.class.getClassLoader());
        var source = c.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
          throw new IllegalStateException("cannot locate the jar of " + name);
        }
        entries.add(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("the AWS Lambda runtime interface client is not on the classpath: " + name
            + " is missing", e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException("cannot locate the jar of " + name, e);
      }
    }
    return List.copyOf(entries);
  }

  /**
   * Unpacks the runtime interface client's native library for this machine into {@code dir} once, so that each
   * child loads it from there ({@code -D...NativeClient.JNI}) instead of copying it to the fixed path {@code
   * /tmp/.libaws-lambda-jni.so}, which children starting at the same time would overwrite under each other.
   * Returns {@code null} when this machine has none (the client then does its own unpacking).
   */
  static Path unpackNativeClient(Path dir) {
    String arch = System.getProperty("os.arch", "");
    String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : null;
    if (cpu == null || !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return null;
    }
    boolean musl = Files.exists(Path.of("/lib/ld-musl-" + (cpu.equals("x86_64") ? "x86_64" : "aarch64") + ".so.1"));
    String name = "libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + cpu + ".so";
    try (var in = Class.forName("com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient", false,
        ChildLauncher.class.getClassLoader()).getResourceAsStream("/jni/" + name)) {
      if (in == null) {
        return null;
      }
      Path target = dir.resolve(name);
      Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException | ClassNotFoundException e) {
      return null;
    }
  }

  /** The command line (shell wrapper, JVM, options, classpath, main class, handler). */
  /** The three pipes of a child: its stdout, its stderr, and the runtime client's framed log (fd 3). */
  record Pipes(Path stdout, Path stderr, Path telemetry) {}

  static List<String> command(FunctionConfig fn, Path java, List<Path> runtimeClasspath, Path nativeClient,
      Pipes fifos) {
    List<String> cmd = new ArrayList<>();
    cmd.add("/bin/sh");
    cmd.add("-c");
    cmd.add("exec 1>\"$1\" 2>\"$2\" 3>\"$3\" && shift 3 && exec \"$@\"");
    cmd.add("taillight-environment");
    cmd.add(fifos.stdout().toString());
    cmd.add(fifos.stderr().toString());
    cmd.add(fifos.telemetry().toString());
    cmd.add(java.toString());
    cmd.add("-XX:MaxHeapSize=" + fn.maxHeapKib() + "k");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Xshare:auto");
    cmd.add("-Djava.net.preferIPv4Stack=true");
    cmd.add("--add-opens=java.base/java.io=ALL-UNNAMED");
    if (nativeClient != null) {
      cmd.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + nativeClient);
    }
    cmd.addAll(fn.jvmOptions());
    List<String> cp = new ArrayList<>();
    runtimeClasspath.forEach(p -> cp.add(p.toString()));
    fn.classpath().forEach(p -> cp.add(p.toString()));
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, cp));
    cmd.add(ChildMain.class.getName());
    cmd.add(fn.handler());
    return cmd;
  }

  /** The environment variables Lambda sets for a Java function, plus the function's own. */
  static Map<String, String> environment(FunctionConfig fn, String runtimeApi, String logStream, String initType,
      Map<String, String> hostEnv) {
    Map<String, String> env = new LinkedHashMap<>();
    copy(hostEnv, env, "PATH");
    copy(hostEnv, env, "HOME");
    env.put("LANG", "en_US.UTF-8");
    env.put("TZ", ":UTC");
    env.putAll(fn.environment());
    Path taskRoot = fn.classpath().get(0);
    env.put("LAMBDA_TASK_ROOT", (Files.isDirectory(taskRoot) ? taskRoot : taskRoot.getParent()).toString());
    env.put("LAMBDA_RUNTIME_DIR", runtimeDir());
    env.put("_HANDLER", fn.handler());
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java" + Runtime.version().feature());
    env.put("AWS_LAMBDA_FUNCTION_NAME", fn.name());
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(fn.memoryMb()));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", fn.logGroup());
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
    env.put("AWS_LAMBDA_LOG_FORMAT", fn.logFormat().name());
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", initType);
    env.put("AWS_REGION", fn.region());
    env.put("AWS_DEFAULT_REGION", fn.region());
    env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
    env.put("_LAMBDA_TELEMETRY_LOG_FD", "3");
    return env;
  }

  private static String runtimeDir() {
    return Path.of(System.getProperty("java.home")).toString();
  }

  private static void copy(Map<String, String> from, Map<String, String> to, String key) {
    String v = from.get(key);
    if (v != null) {
      to.put(key, v);
    }
  }

  /** Starts the child. Its stdin stays open (and unused) so that it can tell when this JVM is gone. */
  static Process start(List<String> command, Map<String, String> env, Path workDir) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.directory(workDir.toFile());
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }
}
