/**
 * Releases of deploys whose service names an {@code image:}: a container per release with a restart policy, on
 * the environment's Docker host, found again from the release's record by any Gantry process.
 */
package dev.gantry.docker.release;
