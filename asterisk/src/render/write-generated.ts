import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

/**
 * Copies every `*.conf` file of `etcDir` (the static configuration, asterisk/etc) into `outDir`
 * (atomically, as above; readable by everyone: they hold no secrets), passing each file's text
 * through `edit[name]` when there is one. Returns the paths written.
 */
export function copyStaticConf(
  etcDir: string,
  outDir: string,
  edit: Record<string, (text: string) => string> = {},
): string[] {
  return readdirSync(etcDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.conf'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const text = readFileSync(join(etcDir, name), 'utf8');
      return writeGeneratedFile(outDir, name, edit[name]?.(text) ?? text, 0o644);
    });
}
