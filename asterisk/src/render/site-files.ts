import { isIPv6 } from 'node:net';
import type { OperatorAccount } from '../operators/operator-account.ts';
import { confValue, generatedFile, section } from './conf-text.ts';
import type { SiteSettings } from './site-settings.ts';

/**
 * The small site-specific files the static configuration includes from generated/: accounts
 * (ARI, AMI), the cel_pgsql/cdr_pgsql connections, NAT and STUN settings, dialplan globals and
 * the operators' extensions. Each function returns one file's text.
 */

/** ari_users.conf: the app's ARI user (ARI_USERNAME/ARI_PASSWORD), full rights for call control. */
export function ariUsersFile(site: SiteSettings): string {
  return generatedFile('ARI user of the app', [
    section(confValue(site.ari.username, 'ARI_USERNAME'), null, [
      'type = user',
      'read_only = no',
      `password = ${confValue(site.ari.password, 'ARI_PASSWORD')}`,
      'password_format = plain',
    ]),
  ]);
}

/**
 * manager_users.conf: the app's AMI user with the least rights operator presence needs: class
 * `agent` reads queue member events (QueueMemberStatus, QueueMemberPause) and writes
 * QueuePause/QueueAdd/QueueRemove; connections only from AMI_PERMIT.
 */
export function managerUsersFile(site: SiteSettings): string {
  return generatedFile('AMI user of the app', [
    section(confValue(site.ami.username, 'AMI_USERNAME'), null, [
      `secret = ${confValue(site.ami.secret, 'AMI_SECRET')}`,
      'deny = 0.0.0.0/0.0.0.0',
      ...site.ami.permit.map((p) => `permit = ${confValue(p, 'AMI_PERMIT')}`),
      'read = agent',
      'write = agent',
      'writetimeout = 5000',
    ]),
  ]);
}

/**
 * cel_pgsql_connection.conf / cdr_pgsql_connection.conf: added to `[global]` of
 * cel_pgsql.conf / cdr_pgsql.conf. The table is schema-qualified (`<schema>.cel`): several
 * Asterisk servers may write into one database, each into its own schema (ASTERISK_SERVERS);
 * cel_pgsql also needs `schema` to look the columns up in the right schema.
 */
export function pgsqlConnectionFile(site: SiteSettings, table: 'cel' | 'cdr'): string {
  const db = site.database;
  return generatedFile(`${table}_pgsql connection: ${site.schema}.${table} of server ${site.serverId}`, [
    section('global', '+', [
      `hostname = ${confValue(db.host, 'ASTERISK_DATABASE_URL host')}`,
      `port = ${db.port}`,
      `dbname = ${confValue(db.name, 'ASTERISK_DATABASE_URL database')}`,
      `user = ${confValue(db.user, 'ASTERISK_DATABASE_URL user')}`,
      `password = ${confValue(db.password, 'ASTERISK_DATABASE_URL password')}`,
      `table = ${site.schema}.${table}`,
      table === 'cel' && `schema = ${site.schema}`,
    ]),
  ]);
}

/**
 * rtp_site.conf: the STUN server Asterisk asks for its public address, and the ICE host
 * candidate mapping that advertises the published address instead of the container's.
 */
export function rtpSiteFile(site: SiteSettings): string {
  const sections = [
    section('general', '+', [
      site.stun && `stunaddr = ${confValue(site.stun.host, 'STUN_URLS')}:${site.stun.port}`,
    ]),
  ];
  if (site.nat.externalAddress && site.nat.asteriskIp)
    sections.push(
      section('ice_host_candidates', null, [
        `${confValue(site.nat.asteriskIp, 'ASTERISK_IP')} => ${confValue(site.nat.externalAddress, 'EXTERNAL_ADDRESS')}`,
      ]),
    );
  return generatedFile('RTP: STUN and ICE candidates', sections);
}

/** `address:port`, IPv6 addresses in brackets (as http.conf tlsbindaddr and pjsip bind read them). */
function hostPort(address: string, port: number): string {
  return isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * http_site.conf, added to `[general]` of http.conf: where Asterisk's HTTP server (ARI, SIP over
 * WebSocket) listens, ASTERISK_BIND_ADDRESS (default loopback) and ASTERISK_HTTP_PORT, and the
 * TLS listener (WSS) on ASTERISK_HTTPS_PORT only when the certificate and key exist: a
 * `tlscertfile` that does not exist makes Asterisk log an error at every start and serve no TLS
 * at all (Asterisk's http.conf documentation: tlsenable, tlsbindaddr, tlscertfile, tlsprivatekey).
 */
export function httpSiteFile(site: SiteSettings): string {
  const { address, httpPort, httpsPort } = site.listen;
  const tls = site.tls;
  return generatedFile('HTTP server: ARI and SIP over WebSocket', [
    section('general', '+', [
      `bindaddr = ${confValue(address, 'ASTERISK_BIND_ADDRESS')}`,
      `bindport = ${httpPort}`,
      ...(tls
        ? [
            'tlsenable = yes',
            `tlsbindaddr = ${hostPort(address, httpsPort)}`,
            `tlscertfile = ${confValue(tls.certFile, 'ASTERISK_TLS_CERT')}`,
            `tlsprivatekey = ${confValue(tls.keyFile, 'ASTERISK_TLS_KEY')}`,
          ]
        : [
            `; no TLS listener: ${site.tlsSkipped ?? 'ASTERISK_TLS_CERT and ASTERISK_TLS_KEY are not set'}`,
            'tlsenable = no',
          ]),
    ]),
  ]);
}

/**
 * manager_site.conf, added to `[general]` of manager.conf: AMI's address (ASTERISK_BIND_ADDRESS,
 * default loopback) and port (AMI_PORT, the one the app connects to).
 */
export function managerSiteFile(site: SiteSettings): string {
  return generatedFile('AMI listener', [
    section('general', '+', [
      `bindaddr = ${confValue(site.listen.address, 'ASTERISK_BIND_ADDRESS')}`,
      `port = ${site.listen.amiPort}`,
    ]),
  ]);
}

/**
 * pjsip_site.conf: the UDP transport's port (ASTERISK_SIP_PORT, every address: the provider
 * reaches it from outside), and NAT settings added to both transports: the address put into
 * SIP and SDP for peers outside LOCAL_NETS (the provider; browsers rely on ICE).
 */
export function pjsipSiteFile(site: SiteSettings): string {
  const external = site.nat.externalAddress
    ? confValue(site.nat.externalAddress, 'EXTERNAL_ADDRESS')
    : undefined;
  const nat = [
    external && `external_media_address = ${external}`,
    external && `external_signaling_address = ${external}`,
    ...site.nat.localNets.map((n) => `local_net = ${confValue(n, 'LOCAL_NETS')}`),
  ];
  return generatedFile('Transports: SIP port and NAT', [
    section('transport-udp', '+', [`bind = ${hostPort('0.0.0.0', site.listen.sipPort)}`, ...nat]),
    section('transport-wss', '+', nat),
  ]);
}

/**
 * extensions_site.conf: dialplan globals from the environment and context `operator-extensions`
 * (included by `operators`): each operator's extension rings their endpoint (recorded as an
 * internal call) and has a hint, so device state follows the phone.
 */
export function extensionsSiteFile(site: SiteSettings, operators: readonly OperatorAccount[]): string {
  return generatedFile('Dialplan: site globals and operators', [
    section('globals', '+', [
      `OUTBOUND_CALLERID =${site.trunk.callerId ? ` ${site.trunk.callerId}` : ''}`,
      `RECDIR = ${confValue(site.monitorDir, 'ASTERISK_MONITOR_DIR')}`,
      `HOURS_WEEKDAYS = ${confValue(site.businessHours.weekdays, 'BUSINESS_HOURS_WEEKDAYS')}`,
      `HOURS_SATURDAY = ${confValue(site.businessHours.saturday, 'BUSINESS_HOURS_SATURDAY')}`,
    ]),
    section(
      'operator-extensions',
      null,
      operators.flatMap((op) => [
        `exten => ${op.endpoint},hint,PJSIP/${op.endpoint}`,
        `exten => ${op.endpoint},1,Gosub(sub-dial-operator,s,1(${op.endpoint}))`,
        ' same => n,Hangup()',
      ]),
    ),
  ]);
}

/**
 * asterisk.conf for the complete configuration: the static file's text with `systemname`
 * (ASTERISK_SYSTEM_NAME) added at the top of `[options]`; unchanged without one. Throws when the
 * static file has no `[options]` section.
 */
export function asteriskConfText(staticText: string, site: SiteSettings): string {
  if (!site.systemName) return staticText;
  const lines = staticText.split('\n');
  const at = lines.findIndex((line) => /^\s*\[options\]\s*$/.test(line));
  if (at < 0) throw new Error('asterisk.conf has no [options] section for systemname');
  lines.splice(
    at + 1,
    0,
    '; Rendered from ASTERISK_SYSTEM_NAME: prefixes every uniqueid and linkedid of this server.',
    `systemname = ${confValue(site.systemName, 'ASTERISK_SYSTEM_NAME')}`,
  );
  return lines.join('\n');
}
