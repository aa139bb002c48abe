/** Wraps AWS Lambda handlers so each invocation leaves one OpenTelemetry span line on stdout. */
package dev.taillight.instrumentation;
