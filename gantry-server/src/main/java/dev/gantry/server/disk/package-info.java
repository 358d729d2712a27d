/** The disk guard: room on the data directory's disk before each build, made from expendable data. */
package dev.gantry.server.disk;
