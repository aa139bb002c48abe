package dev.taillight.benchmarks.sources;

import dev.taillight.collector.LogSink;
import dev.taillight.collector.RawEvent;
import dev.taillight.collector.file.FileSource;
import dev.taillight.collector.file.JsonLinesSink;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast {@link FileSource} turns exported logs into events, per format, against the floor of reading the same
 * bytes as lines with {@link BufferedReader#readLine()} ({@code baseline*}): the ratio is the cost of format
 * detection, time parsing, JSON decoding, synthetic ids and de-duplication on top of splitting lines. Inputs
 * (100,000 events each) are built in {@link #setup}: {@code sam logs} text lines, the AWS CLI's pretty-printed
 * FilterLogEvents JSON, and JSON lines as {@link JsonLinesSink} writes them.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar FileSourceBenchmark -prof gc
 * # on a busy machine, CPU time instead of wall time:
 * java -cp benchmarks/target/benchmarks.jar dev.taillight.benchmarks.sources.FileSourceCpuCheck
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FileSourceBenchmark {
  static final int EVENTS = 100_000;

  byte[] samText;
  byte[] awsJson;
  byte[] jsonLines;

  @Setup
  public void setup() {
    StringBuilder sam = new StringBuilder();
    StringBuilder aws = new StringBuilder("{\n    \"events\": [\n");
    StringWriter lines = new StringWriter();
    JsonLinesSink jl = JsonLinesSink.toWriter(lines);
    long t0 = 1_685_705_242_355L;
    for (int i = 0; i < EVENTS; i++) {
      String stream = "2023/06/02/[72]88ab219a63d343d294d0a9947e8ab" + (i % 8);
      long ts = t0 + i * 3L;
      String message = i % 5 == 0 ? "START RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c" + (1000 + i % 9000)
          + " Version: 72"
          : "8c360c87-d4b7-4423-b5f3-af02be3c1763 DEBUG ChatGPTLambda:" + i + " - Start API Call to ChatGPT "
              + "with a payload of " + (i % 977) + " bytes";
      sam.append(stream).append(' ').append(java.time.Instant.ofEpochMilli(ts).toString().replace("Z", "000"))
          .append(' ').append(message).append('\n');
      aws.append("        {\n            \"logStreamName\": \"").append(stream).append("\",\n")
          .append("            \"timestamp\": ").append(ts).append(",\n")
          .append("            \"message\": \"").append(message).append("\",\n")
          .append("            \"ingestionTime\": ").append(ts + 800).append(",\n")
          .append("            \"eventId\": \"").append(String.format("%056d", i)).append("\"\n        }")
          .append(i + 1 < EVENTS ? ",\n" : "\n");
      jl.accept(new RawEvent("/aws/lambda/chatgpt", stream, ts, ts + 800, String.format("%056d", i), message));
    }
    aws.append("    ]\n}\n");
    jl.flush();
    samText = sam.toString().getBytes(StandardCharsets.UTF_8);
    awsJson = aws.toString().getBytes(StandardCharsets.UTF_8);
    jsonLines = lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Counts what it receives. */
  static final class Counting implements LogSink {
    long count;
    long sum;

    @Override
    public void accept(RawEvent event) {
      count++;
      sum += event.timestamp() + event.message().length();
    }
  }

  static long readLines(byte[] input) {
    long sum = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(input),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        sum += line.length();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return sum;
  }

  static long read(byte[] input) {
    Counting c = new Counting();
    FileSource.builder("bench", new ByteArrayInputStream(input)).functionName("chatgpt").build().run(c);
    if (c.count != EVENTS) {
      throw new IllegalStateException("read " + c.count + " events, expected " + EVENTS);
    }
    return c.sum;
  }

  @Benchmark
  public long baselineReadLinesSamText() {
    return readLines(samText);
  }

  @Benchmark
  public long samLogsText() {
    return read(samText);
  }

  @Benchmark
  public long baselineReadLinesAwsJson() {
    return readLines(awsJson);
  }

  @Benchmark
  public long awsCliJson() {
    return read(awsJson);
  }

  @Benchmark
  public long baselineReadLinesJsonLines() {
    return readLines(jsonLines);
  }

  @Benchmark
  public long jsonLinesFile() {
    return read(jsonLines);
  }
}
