/**
 * The SIP URI to call for what the user dialled (an extension or a number, already cleaned):
 * `sip:<dialled>@<host>`, the host (and port) taken from our own SIP URI, so Asterisk — our
 * registrar — routes it (`targetUri('102', 'sips:101@10.0.0.5:5061')` → `sip:102@10.0.0.5:5061`).
 */
export function targetUri(dialled: string, ownSipUri: string): string {
  const host = ownSipUri.replace(/^sips?:/, '').split('@')[1] ?? '';
  return `sip:${dialled}@${host}`;
}
