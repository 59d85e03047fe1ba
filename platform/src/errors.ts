/**
 * How commands fail: a {@link UsageError} (bad flags, bad configuration, unreadable input) prints
 * its message and exits 2; anything else is a bug and exits 1 with its message.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Runs a command body, turning failures into the exit codes above (no stack traces for users). */
export async function runCommand(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof UsageError || (error instanceof Error && error.name === 'ConfigError');
    console.error(`callcenter: ${message}`);
    process.exitCode = usage ? 2 : 1;
  }
}
