/**
 * What can go wrong with an AMI action (ami-client.ts). Callers tell them apart to answer their
 * own clients: not connected (503), no answer in time or refused by Asterisk (502).
 */

/** The AMI session is not up (connecting, logging in, or between reconnection attempts). */
export class AmiUnavailableError extends Error {
  override readonly name = 'AmiUnavailableError';
}

/** No `Response:` for the action within the timeout (the session is then dropped and re-opened). */
export class AmiTimeoutError extends Error {
  override readonly name = 'AmiTimeoutError';
}

/** Asterisk answered `Response: Error`; `message` is its `Message:` header (e.g. `Interface not found`). */
export class AmiActionError extends Error {
  override readonly name = 'AmiActionError';

  constructor(
    readonly action: string,
    message: string,
    /** The whole response, keys lower-cased as asterisk-manager gives them. */
    readonly response: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}
