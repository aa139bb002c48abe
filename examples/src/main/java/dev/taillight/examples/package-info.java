/** Example functions: a small order pipeline wrapped with the Taillight instrumentation. */
package dev.taillight.examples;
