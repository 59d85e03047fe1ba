import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * The files under RECORDINGS_DIR: regular files only (symbolic links are not followed, so nothing
 * outside the root is archived or deleted), paths relative to the root with `/` separators.
 * Temporary names (`*.partial`, `.*`) are skipped.
 */

export interface SourceFile {
  /** Relative path, `/`-separated. */
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

/** Every recording under `root`, sorted by path; an empty list when `root` does not exist. */
export async function listRecordings(root: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT' && dir === root) return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name.endsWith('.partial')) continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile()) {
        const info = await stat(abs);
        files.push({
          rel: relative(root, abs).split(sep).join('/'),
          abs,
          size: info.size,
          mtimeMs: info.mtimeMs,
        });
      }
    }
  };
  await walk(root);
  return files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
