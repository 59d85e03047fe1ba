import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `text` to `dir/name` atomically (a temporary file renamed over the old one, so Asterisk
 * never reads half a file on reload), readable by owner and group only: the files hold
 * passwords. `mode` 0o600 for files only the renderer reads back.
 */
export function writeGeneratedFile(dir: string, name: string, text: string, mode = 0o640): string {
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const path = join(dir, name);
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(temporary, text, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
  return path;
}
