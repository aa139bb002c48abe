package dev.taillight.localruntime;

import dev.taillight.collector.LogSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** Everything environments of one {@link LocalRuntime} share. */
record Settings(
    FunctionConfig function,
    LogSink sink,
    Clock clock,
    Ids ids,
    RuntimeListener listener,
    Path java,
    List<Path> runtimeClasspath,
    Duration initTimeout,
    Path workDir,
    String runtimeVersion,
    String runtimeVersionArn,
    Function<String, String> hostEnv,
    Path nativeClient) {}
