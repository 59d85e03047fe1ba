import type { OperatorAccount } from '../operators/operator-account.ts';
import { digestHa1 } from '../operators/sip-secret.ts';
import { confValue, displayName, generatedFile, section } from './conf-text.ts';

/** The pjsip.conf endpoint template of each kind of operator phone. */
const ENDPOINT_TEMPLATE = { webrtc: 'operator-webrtc', sip: 'operator-desk' } as const;

/**
 * pjsip_operators.conf: per operator an endpoint (template operator-webrtc for the browser
 * softphone: WSS, DTLS-SRTP, ICE, opus/ulaw; operator-desk for a desk phone: UDP, G.711), an auth
 * holding only the digest HA1 (the secret itself stays in app.operators) and an aor, all three
 * named after the endpoint as chan_pjsip's sorcery allows.
 */
export function operatorsFile(operators: readonly OperatorAccount[], realm: string): string {
  const sections = operators.flatMap((op) => {
    const ep = confValue(op.endpoint, 'endpoint');
    return [
      section(ep, ENDPOINT_TEMPLATE[op.phone], [
        `auth = ${ep}`,
        `aors = ${ep}`,
        `callerid = "${displayName(op.name, ep)}" <${ep}>`,
      ]),
      section(ep, 'operator-auth', [
        `username = ${ep}`,
        `realm = ${confValue(realm, 'SIP_DOMAIN')}`,
        `md5_cred = ${digestHa1(op.endpoint, realm, op.secret)}`,
      ]),
      section(ep, 'operator-aor', []),
    ];
  });
  return generatedFile(`Operators' phones: ${operators.length} endpoints`, sections);
}
