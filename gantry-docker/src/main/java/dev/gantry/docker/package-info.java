/** The Docker executor: tasks as containers on one Docker host or several. */
package dev.gantry.docker;
