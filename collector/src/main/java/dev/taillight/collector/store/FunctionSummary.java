package dev.taillight.collector.store;

/**
 * A function the index has seen.
 *
 * @param function the function name
 * @param logGroup its log group, or null when only known from invocations without a group
 * @param events log events stored for it
 * @param lastEventTime timestamp of its newest stored event or invocation, epoch ms, or null
 */
public record FunctionSummary(String function, String logGroup, long events, Long lastEventTime) {}
