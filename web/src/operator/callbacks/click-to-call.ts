/**
 * How a callback is dialled (pure, tested): through the softphone when it is registered here,
 * else by asking Asterisk to ring the operator's phone first (`POST /control/originate`, ARI),
 * else not at all — with the reason shown on the disabled button.
 */

export type ClickToCall =
  | { via: 'softphone'; number: string }
  | { via: 'originate'; number: string }
  | { via: 'none'; reason: 'noNumber' | 'busy' | 'noEndpoint' | 'noTelephony' };

/** `unknown` until an originate was tried; `unavailable` after a 503 (no ARI configured). */
export type OriginateAvailability = 'unknown' | 'available' | 'unavailable';

export interface ClickToCallInput {
  /** The number as stored (what the caller presented), then the E.164 form. */
  number: string | null;
  e164: string | null;
  /** The softphone in this tab: registered, and free to start a call. */
  softphone: { registered: boolean; canDial: boolean };
  endpoint: string | null;
  originate: OriginateAvailability;
}

/** The way to call back, or why there is none. */
export function clickToCall(input: ClickToCallInput): ClickToCall {
  const raw = input.number ?? input.e164;
  const number = raw?.replace(/[\s()\-.]/g, '') ?? '';
  if (!/^\+?[0-9]{2,32}$/.test(number)) return { via: 'none', reason: 'noNumber' };
  if (input.softphone.registered)
    return input.softphone.canDial ? { via: 'softphone', number } : { via: 'none', reason: 'busy' };
  if (!input.endpoint) return { via: 'none', reason: 'noEndpoint' };
  if (input.originate !== 'unavailable') return { via: 'originate', number };
  return { via: 'none', reason: 'noTelephony' };
}
