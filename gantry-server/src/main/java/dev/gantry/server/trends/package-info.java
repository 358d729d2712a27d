/**
 * What a pipeline's history says: its recent builds with their tests, the flaky tests among them, and how its
 * slowest tests' times changed. Plain computations over the store's records; the UI draws them.
 */
package dev.gantry.server.trends;
