import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArchiveError, describeFsError } from './archive-errors.ts';
import { checksumFile, partialFile } from './archive-layout.ts';

/**
 * Writing to the NAS so that a file either is complete and verified or is not there: bytes go to
 * `<name>.partial` while their SHA-256 is computed, the file is fsynced and renamed into place,
 * then read back from the NAS and hashed again — a copy that does not hash like its source is an
 * error, never a success. File-system failures come out as {@link describeFsError} messages.
 */

export interface WrittenFile {
  path: string;
  bytes: number;
  /** Hex SHA-256 of the bytes written (= of the source). */
  sha256: string;
}

/** SHA-256 and size of a file, read in full. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** A pass-through that hashes and counts what flows through it. */
export function hashingStream(onChunk?: (bytes: number) => void) {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      onChunk?.(bytes);
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ sha256: hash.digest('hex'), bytes }) };
}

/**
 * Streams `source` into `path` (through `.partial`, fsync, rename) and verifies the written file
 * by reading it back. Throws ArchiveError('verification_failed') when the read-back differs, or
 * the classified file-system error. `onBytes` reports progress.
 */
export async function writeVerified(
  source: Readable,
  path: string,
  onBytes?: (bytes: number) => void,
): Promise<WrittenFile> {
  const partial = partialFile(path);
  const hashing = hashingStream(onBytes);
  try {
    await mkdir(dirname(path), { recursive: true });
    await pipeline(source, hashing.stream, createWriteStream(partial));
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => {});
    throw describeFsError(error, 'writing', path);
  }
  const written = hashing.result();
  await verifyFile(path, written.sha256, written.bytes);
  return { path, ...written };
}

/** Reads `path` back and compares it with the expected SHA-256 and size; throws when they differ. */
export async function verifyFile(path: string, sha256: string, bytes: number): Promise<void> {
  let actual: { sha256: string; bytes: number };
  try {
    actual = await hashFile(path);
  } catch (error) {
    throw describeFsError(error, 'reading back', path);
  }
  if (actual.sha256 !== sha256 || actual.bytes !== bytes) {
    throw new ArchiveError(
      'verification_failed',
      `${path} does not match what was written: ${actual.bytes} bytes with SHA-256 ${actual.sha256.slice(0, 12)}…, expected ${bytes} bytes with ${sha256.slice(0, 12)}…`,
    );
  }
}

/** Writes `<path>.sha256` in `sha256sum` format (`<hex>  <file name>`), so `sha256sum -c` checks it. */
export async function writeChecksum(path: string, sha256: string): Promise<void> {
  await writeSmallFile(checksumFile(path), `${sha256}  ${basename(path)}\n`);
}

/** The SHA-256 recorded in `<path>.sha256`, or null when there is none. */
export async function readChecksum(path: string): Promise<string | null> {
  try {
    const text = await readFile(checksumFile(path), 'utf8');
    return /^([0-9a-f]{64})\b/.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Writes a small text file atomically (partial + rename). */
export async function writeSmallFile(path: string, text: string): Promise<void> {
  const partial = partialFile(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(partial, text);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => {});
    throw describeFsError(error, 'writing', path);
  }
}

/** Reads a JSON file, or returns `fallback` when it does not exist. */
export async function readJsonFile<T>(path: string, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return fallback;
    throw describeFsError(error, 'reading', path);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ArchiveError('verification_failed', `${path} is not valid JSON (damaged?)`);
  }
}
