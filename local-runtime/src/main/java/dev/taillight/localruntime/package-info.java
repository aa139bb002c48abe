/** Runs Java Lambda handlers on this machine the way Lambda runs them. */
package dev.taillight.localruntime;
