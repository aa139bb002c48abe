package dev.taillight.collector.store;

/**
 * What a retention pass removed.
 *
 * @param linesDeleted log lines removed
 * @param invocationsDeleted invocations removed
 * @param spansDeleted spans removed
 * @param bytesBefore database size (used pages) before the pass
 * @param bytesAfter database size (used pages) after the pass, after free pages were returned to the file system
 */
public record RetentionResult(
    long linesDeleted, long invocationsDeleted, long spansDeleted, long bytesBefore, long bytesAfter) {}
