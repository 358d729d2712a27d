/** Streams read by one thread from blocks another thread hands over. */
package dev.gantry.engine.stream;
