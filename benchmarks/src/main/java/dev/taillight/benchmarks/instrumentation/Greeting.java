package dev.taillight.benchmarks.instrumentation;

import java.util.Map;

/** The body every hello handler shares: prints one line, returns it. */
final class Greeting {
  private Greeting() {}

  static String of(Map<String, Object> input) {
    String line = new StringBuilder(16).append("hello ").append(input.get("name")).toString();
    System.out.println(line);
    return line;
  }
}
