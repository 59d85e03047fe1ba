/**
 * How the archive fails, in words an admin can act on. {@link ArchiveError} carries a `kind` the
 * run record and the manual command's message use; {@link describeFsError} turns Node's errno
 * codes into "the NAS is full" / "permission denied" / "not mounted" sentences naming the path.
 */

export type ArchiveErrorKind =
  /** ARCHIVE_DIR (or --target) does not exist: usually the NAS is not mounted. */
  | 'target_missing'
  /** The target exists but cannot be written (permissions, read-only mount). */
  | 'target_not_writable'
  /** No space left on the NAS (ENOSPC / EDQUOT, or the pre-flight estimate). */
  | 'disk_full'
  /** The NAS went away mid-run (EIO, ENOTCONN, ESTALE, EHOSTDOWN). */
  | 'target_unavailable'
  /** Another archive run holds the lock. */
  | 'busy'
  /** A copy or a dump does not match what was written (checksum, pg_restore, Parquet reader). */
  | 'verification_failed'
  /** A tool is missing (pg_dump of the server's major version). */
  | 'tool_missing'
  /** The chDB data directory is held by another process. */
  | 'chdb_in_use'
  | 'failed';

/**
 * An archive failure an admin can act on: its {@link ArchiveErrorKind} (recorded with the run,
 * used by the command's exit message) and a message naming the path or tool.
 */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
  constructor(
    readonly kind: ArchiveErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const code = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;

/** Kinds of {@link describeFsError} results that make every later write pointless. */
export const FATAL_KINDS: ReadonlySet<ArchiveErrorKind> = new Set([
  'disk_full',
  'target_missing',
  'target_unavailable',
  'target_not_writable',
]);

/**
 * An {@link ArchiveError} for a file-system failure while `doing` something to `path`: ENOSPC →
 * disk_full "the NAS is full", EACCES/EPERM/EROFS → target_not_writable, EIO/ENOTCONN/ESTALE →
 * target_unavailable, ENOENT → target_missing when `path` is under the archive root. Other errors
 * keep their message. Already-classified ArchiveErrors pass through.
 */
export function describeFsError(error: unknown, doing: string, path: string): ArchiveError {
  if (error instanceof ArchiveError) return error;
  const message = error instanceof Error ? error.message : String(error);
  switch (code(error)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new ArchiveError('disk_full', `disk full: no space left while ${doing} ${path}`, {
        cause: error,
      });
    case 'EACCES':
    case 'EPERM':
      return new ArchiveError('target_not_writable', `permission denied while ${doing} ${path}`, {
        cause: error,
      });
    case 'EROFS':
      return new ArchiveError('target_not_writable', `read-only file system while ${doing} ${path}`, {
        cause: error,
      });
    case 'EIO':
    case 'ENOTCONN':
    case 'ESTALE':
    case 'EHOSTDOWN':
    case 'EHOSTUNREACH':
      return new ArchiveError(
        'target_unavailable',
        `the NAS stopped answering (${code(error)}) while ${doing} ${path}`,
        { cause: error },
      );
    default:
      return new ArchiveError('failed', `${doing} ${path}: ${message}`, { cause: error });
  }
}

/** The message of anything thrown. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
