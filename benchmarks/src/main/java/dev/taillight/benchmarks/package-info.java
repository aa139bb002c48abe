/** JMH and whole-process benchmarks. */
package dev.taillight.benchmarks;
