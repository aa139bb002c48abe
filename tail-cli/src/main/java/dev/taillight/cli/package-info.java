/** The {@code taillight} command. */
package dev.taillight.cli;
