/**
 * A rejected INVITE's final status as the end reason the softphone shows (RFC 3261 status codes):
 * 486/600 → `busy`, 603 → `declined`, 480/404 → `unavailable`, 487 → `canceled`, anything else
 * `<code> <phrase>`.
 */
export function rejectionReason(statusCode: number, reasonPhrase: string): string {
  if (statusCode === 486 || statusCode === 600) return 'busy';
  if (statusCode === 603) return 'declined';
  if (statusCode === 480 || statusCode === 404) return 'unavailable';
  if (statusCode === 487) return 'canceled';
  return `${statusCode} ${reasonPhrase}`.trim();
}

/** The message of anything thrown (an Error's message, else its text). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
