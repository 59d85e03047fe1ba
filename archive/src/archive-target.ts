import { readFile, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ArchiveError, describeFsError } from './archive-errors.ts';
import { archiveLayout } from './archive-layout.ts';
import { writeSmallFile } from './verified-write.ts';

/**
 * Pre-flight checks of the archive root before a run writes anything, each failure a clear
 * sentence: the root must already exist (it is the NAS mount point: the archive never creates it,
 * so an unmounted NAS is reported instead of silently filling a local folder of the same name),
 * be a directory, be writable (a probe file is written and removed), and have room for what the
 * run is about to write.
 */

export interface TargetState {
  root: string;
  freeBytes: number;
}

/** Free bytes for an unprivileged writer on the file system holding `path`. */
export async function freeBytes(path: string): Promise<number> {
  const fs = await statfs(path);
  return Number(fs.bavail) * Number(fs.bsize);
}

/** `1536` → `1.5 KB`: bytes in binary units (B, KB, MB, GB, TB), one decimal above bytes. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * Checks the archive root (see the module comment) and writes its marker file on first use.
 * Throws ArchiveError: target_missing, target_not_writable (with the errno's words), failed (not
 * a directory).
 */
export async function checkTarget(root: string): Promise<TargetState> {
  try {
    const info = await stat(root);
    if (!info.isDirectory())
      throw new ArchiveError('failed', `the archive target ${root} is not a directory`);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new ArchiveError(
        'target_missing',
        `the archive target ${root} does not exist — is the NAS mounted? (the archive never creates its root directory)`,
      );
    }
    throw describeFsError(error, 'checking', root);
  }
  const probe = join(root, `.write-probe-${process.pid}`);
  try {
    await writeFile(probe, 'probe');
    await rm(probe, { force: true });
  } catch (error) {
    const described = describeFsError(error, 'writing a test file to', root);
    if (described.kind === 'failed') throw new ArchiveError('target_not_writable', described.message);
    throw described;
  }
  const layout = archiveLayout(root);
  const marker = await readFile(layout.marker, 'utf8').catch(() => null);
  if (marker === null) {
    await writeSmallFile(
      layout.marker,
      `${JSON.stringify({ format: 1, product: 'callcenter', created_at: new Date().toISOString(), created_by: hostname() }, null, 2)}\n`,
    );
  }
  return { root, freeBytes: await freeBytes(root) };
}

/** Throws disk_full when `needed` bytes exceed the space left on the NAS (`what` names the data). */
export async function ensureFreeSpace(root: string, needed: number, what: string): Promise<void> {
  const free = await freeBytes(root);
  if (needed > free) {
    throw new ArchiveError(
      'disk_full',
      `disk full: ${formatBytes(free)} free on ${root}, about ${formatBytes(needed)} needed for ${what}`,
    );
  }
}
