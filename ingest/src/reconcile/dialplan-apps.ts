/**
 * Dialplan applications the rules read by name from CEL APP_START (docs/reconciliation.md#status,
 * #ended-at-stage, #service-calls). Their own module so that status.ts, participants.ts and
 * ended-stage.ts can share them without importing each other.
 */

/** Applications through which the dialplan offers a call to people. */
export const OFFERING_APPS: ReadonlySet<string> = new Set(['Queue', 'Dial', 'RetryDial', 'FollowMe']);

/** Applications that mean the system has stopped offering the call to people. */
export const GIVING_UP_APPS: ReadonlySet<string> = new Set(['VoiceMail', 'Voicemail', 'MinivmRecord']);

/**
 * Applications by which the dialplan refuses a call: they signal busy or congestion to the caller
 * and end it (app_dial's Busy() and Congestion(), Asterisk's pbx_builtins).
 */
export const REFUSING_APPS: ReadonlySet<string> = new Set(['Busy', 'Congestion']);
