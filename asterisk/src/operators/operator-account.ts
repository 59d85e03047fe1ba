/**
 * An operator's phone account on one Asterisk server: the PJSIP endpoint (`101` of
 * `PJSIP/101-0000002a`, app.operators.endpoint), the name shown as caller ID, the SIP secret the
 * phone authenticates with (app.operators.sip_secret), and the kind of phone (app.operators.phone):
 * `webrtc` for the web app's browser softphone, `sip` for a desk phone (plain SIP/RTP over UDP).
 */
export interface OperatorAccount {
  endpoint: string;
  name: string;
  secret: string;
  phone: OperatorPhone;
}

/** The kinds of operator phone; each has its endpoint template in asterisk/etc/pjsip.conf. */
export const OPERATOR_PHONES = ['webrtc', 'sip'] as const;
/**
 * The phone behind an operator's endpoint: the web app's softphone (`webrtc`) or a desk phone
 * (`sip`).
 */
export type OperatorPhone = (typeof OPERATOR_PHONES)[number];

/**
 * Endpoint names usable as PJSIP section names and dialplan extensions: a letter or digit first
 * (a leading `_` would make the extension a pattern), then letters, digits, `_ . -`.
 */
export const ENDPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

/** Names the static pjsip.conf and the trunk already use: an operator cannot take them. */
export const RESERVED_ENDPOINT_NAMES: ReadonlySet<string> = new Set([
  'global',
  'system',
  'transport-udp',
  'transport-wss',
  'trunk',
  'trunk-auth',
  'trunk-registration',
]);

/** Problems with a set of operators (bad or reserved endpoint names, duplicates), one per entry. */
export function operatorProblems(operators: readonly { endpoint: string }[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { endpoint } of operators) {
    if (!ENDPOINT_NAME.test(endpoint))
      problems.push(
        `endpoint "${endpoint}" must be 1-40 letters, digits, _ . - starting with a letter or digit`,
      );
    else if (RESERVED_ENDPOINT_NAMES.has(endpoint.toLowerCase()))
      problems.push(`endpoint "${endpoint}" is a name the configuration already uses`);
    if (seen.has(endpoint)) problems.push(`endpoint "${endpoint}" is listed twice`);
    seen.add(endpoint);
  }
  return problems;
}
