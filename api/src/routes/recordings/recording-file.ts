import { type FileHandle, open, realpath } from 'node:fs/promises';
import { basename, extname, isAbsolute, resolve, sep } from 'node:path';
import { ApiError, badRequest, notFound } from '../../errors/api-error.ts';

/**
 * Finding a call's recording on this server, safely. The database keeps the path MixMonitor was
 * given (`<ASTERISK_MONITOR_DIR>/2026/11/21/20261121-042148-in-1795234908.0.wav`, Asterisk's
 * `/var/spool/asterisk/monitor` by default) or, from CDR, a path relative to it; both are mapped
 * onto `recordingsDir` (config/api-config.ts). Nothing outside that root is
 * ever opened: `..` segments, absolute paths elsewhere and NUL bytes are refused (400) before the
 * file system is touched, and the real path (symlinks followed) must still lie under the real
 * root, checked on the path that is then opened.
 */

/**
 * Asterisk's own monitor directory, the default of `ASTERISK_MONITOR_DIR` (the variable
 * `callcenter asterisk render` writes into the dialplan's RECDIR, asterisk/etc/extensions.conf).
 */
export const DEFAULT_ASTERISK_MONITOR_DIR = '/var/spool/asterisk/monitor';

/** {@link DEFAULT_ASTERISK_MONITOR_DIR} with its trailing slash: the prefix stripped by default. */
export const ASTERISK_MONITOR_PREFIX = `${DEFAULT_ASTERISK_MONITOR_DIR}/`;

const CONTENT_TYPES: Record<string, string> = {
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.gsm': 'audio/x-gsm',
};

/** Content-Type by the file's extension (case-insensitive); `application/octet-stream` otherwise. */
export function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

const outside = (callId: number) =>
  badRequest(`the recording path of call ${callId} points outside the recordings directory`);
const missing = (name: string) => notFound(`the recording ${name} is not on the server`);

/**
 * The stored path as a path relative to the recordings root: Asterisk's monitor directory
 * `monitorDir` (absolute, `ASTERISK_MONITOR_DIR`; a trailing slash is optional) stripped, a
 * relative name kept. Throws 400 for an absolute path elsewhere, a `..` segment, a NUL byte or
 * an empty name.
 */
export function relativeRecordingPath(
  stored: string,
  callId: number,
  monitorDir: string = DEFAULT_ASTERISK_MONITOR_DIR,
): string {
  if (stored.includes('\0')) throw outside(callId);
  const prefix = `${monitorDir.replace(/\/+$/, '')}/`;
  let rel: string;
  if (stored.startsWith(prefix)) rel = stored.slice(prefix.length);
  else if (isAbsolute(stored) || /^[A-Za-z]:/.test(stored) || stored.startsWith('\\')) throw outside(callId);
  else rel = stored;
  const segments = rel.split(/[/\\]/);
  if (segments.some((s) => s === '..') || segments.every((s) => s === '' || s === '.')) throw outside(callId);
  return rel;
}

/** True when `path` is `root` itself or below it (both absolute and normalised). */
const within = (root: string, path: string) => path.startsWith(root.endsWith(sep) ? root : root + sep);

/** An opened recording: read from `handle` (close it when done), `size` bytes. */
export interface OpenedRecording {
  handle: FileHandle;
  size: number;
  /** The file's own name, for Content-Disposition. */
  name: string;
  contentType: string;
}

/**
 * Opens the recording `stored` of call `callId` under `root`, `monitorDir` being the directory
 * Asterisk wrote it to (see {@link relativeRecordingPath}). 400 when the path escapes the root
 * (lexically or through a symlink); 404 `the recording … is not on the server` when no regular
 * file is there (or the root itself does not exist).
 */
export async function openRecording(
  root: string,
  stored: string,
  callId: number,
  monitorDir: string = DEFAULT_ASTERISK_MONITOR_DIR,
): Promise<OpenedRecording> {
  const rel = relativeRecordingPath(stored, callId, monitorDir);
  const name = basename(rel);
  const lexicalRoot = resolve(root);
  const candidate = resolve(lexicalRoot, rel);
  if (!within(lexicalRoot, candidate)) throw outside(callId);
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(lexicalRoot);
    real = await realpath(candidate);
  } catch (error) {
    if (isMissing(error)) throw missing(name);
    throw error;
  }
  if (!within(realRoot, real)) throw outside(callId);
  let handle: FileHandle;
  try {
    handle = await open(real, 'r');
  } catch (error) {
    if (isMissing(error)) throw missing(name);
    throw error;
  }
  try {
    // fstat of the opened descriptor: what is read is what was checked to be a regular file.
    const stat = await handle.stat();
    if (!stat.isFile()) throw missing(name);
    return { handle, size: stat.size, name, contentType: contentTypeOf(name) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ELOOP';
}

/** The bytes to send: inclusive `start`..`end`, and whether that is a 206 part. */
export interface ByteRange {
  start: number;
  end: number;
  partial: boolean;
}

/** 416 with `Content-Range: bytes *\/size`, set by the route from `details.size`. */
export class RangeNotSatisfiableError extends ApiError {
  constructor(readonly size: number) {
    super(416, 'range_not_satisfiable', `the requested range is outside the recording (${size} bytes)`, {
      size,
    });
  }
}

/**
 * The part of a `size`-byte file a Range header asks for (RFC 9110 §14): one `bytes=a-b`,
 * `bytes=a-` or `bytes=-n` → that part (206); several ranges, another unit or a malformed header →
 * the whole file (200, as the RFC allows a server to ignore Range). A syntactically valid range
 * that no byte satisfies → {@link RangeNotSatisfiableError}. Empty files are whole-file only.
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
  const whole: ByteRange = { start: 0, end: size - 1, partial: false };
  if (header === undefined) return whole;
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m?.[1] || m[1].includes(',')) return whole;
  const spec = /^(\d*)-(\d*)$/.exec(m[1].trim());
  if (!spec) return whole;
  const [, a = '', b = ''] = spec;
  if (a === '' && b === '') return whole;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0 || size === 0) throw new RangeNotSatisfiableError(size);
    return { start: Math.max(0, size - suffix), end: size - 1, partial: true };
  }
  const start = Number(a);
  const last = b === '' ? size - 1 : Number(b);
  if (b !== '' && last < start) return whole;
  if (start >= size) throw new RangeNotSatisfiableError(size);
  return { start, end: Math.min(last, size - 1), partial: true };
}
