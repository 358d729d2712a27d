/**
 * Batch inference: a JSONL file in, one request per line, every answer kept exactly once, resumably
 * ({@link dev.gantry.engine.batch.BatchRun}, shared by the {@code batch} step and {@code gantry batch}).
 *
 * <p>The output directory holds {@code <id>.<ext>} for each file answer, {@code results.jsonl} (one line per item
 * that succeeded: {@code id, status, output, bytes, sha256, latency_ms, attempts}, and {@code body} instead of the
 * file fields for a JSON answer) and {@code errors.jsonl} (one line per item or input line that failed:
 * {@code id, line, kind, message, attempts}, and {@code status} when there was an HTTP answer). Error kinds:
 * {@code invalid_json}, {@code missing_id}, {@code duplicate_id}, {@code invalid_id} and {@code template} for the
 * input's own lines (found again by every run); {@code request}, {@code http}, {@code timeout}, {@code connection},
 * {@code bad_answer} and {@code internal} for items whose requests failed (kept by a rerun unless it retries errors).
 * Ids are compared ignoring case (they name files). Hidden entries
 * belong to the batch: {@code .partial/} (answers being written) and {@code .lock} (held while a run writes).
 *
 * <p>Sub-packages: {@code input} streams and checks the lines, {@code http} makes the attempts and decides what is
 * transient, {@code output} writes the answers and the journal and recovers them for a rerun.
 */
package dev.gantry.engine.batch;
