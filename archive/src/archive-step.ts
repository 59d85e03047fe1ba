/**
 * The shape every archive step shares: it reports a progress line while it works and returns its
 * figures. A step that cannot do its job throws (an ArchiveError with a clear message); a step
 * that did part of it (e.g. 2 recordings of 500 could not be copied) returns its figures with
 * `errors`, and the run counts it as failed — a partial failure never reports success.
 */
export interface StepReporter {
  /** The live progress line ("dumping: 12.3 MB"); throttled by the runner. */
  progress(line: string): void;
}

/**
 * What a step did: bytes and files written, a one-line summary, its figures, and per-item errors
 * (any error fails the step).
 */
export interface StepOutcome {
  /** Bytes written to the archive. */
  bytes: number;
  /** Files written (or removed, for retention). */
  files: number;
  /** One line for the run's display, e.g. "callcenter-2026-11-21.dump 12.3 MB, 245 entries, verified". */
  summary: string;
  detail: Record<string, unknown>;
  /** Per-item failures; non-empty = the step failed. */
  errors?: string[];
}
