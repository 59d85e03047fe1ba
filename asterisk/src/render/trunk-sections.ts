import { confValue, generatedFile, section } from './conf-text.ts';
import type { TrunkSettings } from './site-settings.ts';

/**
 * pjsip_trunk.conf: the provider. Endpoint `trunk` (the name extensions.conf dials,
 * `PJSIP/<number>@trunk`), its aor (where outbound calls go), identify (which source addresses
 * are the provider), and for providers with credentials an outbound auth and a registration
 * whose `line` also identifies inbound calls. Without a host the endpoint exists with no
 * address: inbound matching and outbound calls wait until TRUNK_HOST is set.
 */
export function trunkFile(trunk: TrunkSettings): string {
  const host = trunk.host ? confValue(trunk.host, 'TRUNK_HOST') : undefined;
  const uri = host ? `sip:${host}:${trunk.port}` : undefined;
  const hasAuth = trunk.username !== undefined && trunk.password !== undefined;
  const sections = [
    section('trunk', 'trunk-endpoint', [
      `allow = ${trunk.codecs.join(',')}`,
      'aors = trunk',
      hasAuth && 'outbound_auth = trunk-auth',
      trunk.username !== undefined && `from_user = ${confValue(trunk.username, 'TRUNK_USERNAME')}`,
      host && `from_domain = ${host}`,
    ]),
    section('trunk', null, ['type = aor', uri && `contact = ${uri}`, uri && 'qualify_frequency = 60']),
  ];
  if (trunk.match.length > 0)
    sections.push(
      section('trunk', null, [
        'type = identify',
        'endpoint = trunk',
        ...trunk.match.map((m) => `match = ${confValue(m, 'TRUNK_MATCH')}`),
      ]),
    );
  if (hasAuth)
    sections.push(
      section('trunk-auth', null, [
        'type = auth',
        'auth_type = userpass',
        `username = ${confValue(trunk.username!, 'TRUNK_USERNAME')}`,
        `password = ${confValue(trunk.password!, 'TRUNK_PASSWORD')}`,
      ]),
    );
  if (hasAuth && trunk.register && uri)
    sections.push(
      section('trunk-registration', null, [
        'type = registration',
        'transport = transport-udp',
        'outbound_auth = trunk-auth',
        `server_uri = ${uri}`,
        `client_uri = sip:${confValue(trunk.username!, 'TRUNK_USERNAME')}@${host}`,
        'retry_interval = 60',
        'forbidden_retry_interval = 600',
        'expiration = 3600',
        'line = yes',
        'endpoint = trunk',
      ]),
    );
  return generatedFile(`Provider trunk${host ? ` ${host}` : ' (TRUNK_HOST not set)'}`, sections);
}
