/** Where the server keeps things in its data directory: one place that every package asks. */
package dev.gantry.server.layout;
