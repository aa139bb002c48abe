package dev.taillight.localruntime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every child JVM this process started and has not yet stopped. One shutdown hook kills them all when this JVM
 * exits normally or on Ctrl-C; a child whose parent is killed outright halts by itself (see {@code ChildMain}).
 */
final class ProcessRegistry {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<java.nio.file.Path> WORK_DIRS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessRegistry::killAll, "taillight-kill-environments"));
  }

  private ProcessRegistry() {}

  static void register(Process p) {
    LIVE.add(p);
  }

  static void unregister(Process p) {
    LIVE.remove(p);
  }

  /** A runtime's work directory, removed by the shutdown hook if the runtime was not closed. */
  static void registerWorkDir(java.nio.file.Path dir) {
    WORK_DIRS.add(dir);
  }

  static void unregisterWorkDir(java.nio.file.Path dir) {
    WORK_DIRS.remove(dir);
  }

  static int liveCount() {
    return LIVE.size();
  }

  private static void killAll() {
    for (Process p : LIVE) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (java.nio.file.Path dir : WORK_DIRS) {
      java.io.File[] files = dir.toFile().listFiles();
      if (files != null) {
        for (java.io.File f : files) {
          f.delete();
        }
      }
      dir.toFile().delete();
    }
  }
}
