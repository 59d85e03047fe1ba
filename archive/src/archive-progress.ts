import { ARCHIVE_STEPS, type ArchiveRunRecord, type ArchiveStepRecord } from './archive-run-record.ts';
import { formatBytes } from './archive-target.ts';

/**
 * The manual command's progress display: fed run records (from the run itself, or polled from
 * Postgres when the main job performs it), it prints a line whenever a step starts, reports new
 * progress, or ends — plain lines, so the display reads the same in a terminal and in a log.
 *
 * ```
 * archive run #12 → /mnt/nas/callcenter (night of 2026-11-22, Europe/Moscow)
 * [1/4] postgres: pg_dump 15 → /mnt/nas/callcenter/postgres/daily/callcenter-2026-11-22.dump
 * [1/4] postgres: done in 1.2 s — callcenter-2026-11-22.dump 1.1 MB, 245 entries, 31 tables, verified
 * [2/4] recordings: FAILED in 0.1 s — disk full: 1.0 MB free on /mnt/nas/callcenter, about 2.3 GB needed…
 * ```
 */

const seconds = (s: number | null) => (s === null ? '' : ` in ${s < 10 ? s.toFixed(1) : Math.round(s)} s`);

/** The closing line of a run: status, duration, bytes, and the errors of a failed run. */
export function describeRunEnd(run: ArchiveRunRecord): string {
  if (run.status === 'succeeded') {
    return `archive run #${run.id} succeeded${seconds(run.duration_sec)}: ${formatBytes(run.bytes_written)} written to ${run.target_dir}`;
  }
  const failed = run.steps.filter((s) => s.status === 'failed').length;
  return `archive run #${run.id} FAILED${seconds(run.duration_sec)}${failed ? ` (${failed} of ${ARCHIVE_STEPS.length} steps failed)` : ''}: ${(run.error ?? 'unknown error').split('\n').join('; ')}`;
}

function stepLine(step: ArchiveStepRecord, index: number): string {
  const head = `[${index + 1}/${ARCHIVE_STEPS.length}] ${step.step}`;
  switch (step.status) {
    case 'running':
      return `${head}: ${step.progress ?? 'started'}`;
    case 'succeeded':
      return `${head}: done${seconds(step.duration_sec)} — ${step.progress ?? ''}`;
    case 'failed':
      return `${head}: FAILED${seconds(step.duration_sec)} — ${(step.error ?? '').split('\n').join('; ')}`;
    case 'skipped':
      return `${head}: ${step.error ?? 'skipped'}`;
    default:
      return `${head}: waiting`;
  }
}

/** Prints what changed between the records it is given (see the module comment). */
export class RunPrinter {
  readonly #print: (line: string) => void;
  #header = false;
  #waiting = false;
  readonly #last = new Map<string, string>();

  constructor(print: (line: string) => void = (line) => console.log(line)) {
    this.#print = print;
  }

  update(run: ArchiveRunRecord): void {
    if (run.status === 'requested') {
      if (!this.#waiting) this.#print(`archive run #${run.id} requested from the running main job…`);
      this.#waiting = true;
      return;
    }
    if (!this.#header && run.archive_date) {
      this.#print(
        `archive run #${run.id} → ${run.target_dir} (night of ${run.archive_date}, ${run.time_zone})`,
      );
      this.#header = true;
    }
    run.steps.forEach((step, index) => {
      if (step.status === 'pending') return;
      const line = stepLine(step, index);
      if (this.#last.get(step.step) === line) return;
      this.#last.set(step.step, line);
      this.#print(line);
    });
  }
}
