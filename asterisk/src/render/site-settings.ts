/**
 * What `callcenter asterisk render` needs besides the operators: the site's accounts, addresses
 * and provider, read from the environment by site-env.ts. Every field is a plain value (ports
 * are numbers, lists are arrays); nothing here touches the network.
 */

/** A network address in Asterisk ACL form: `a.b.c.d` or `a.b.c.d/nn`. */
export type Cidr = string;

/**
 * The SIP provider's trunk (SIP_TRUNK_* variables): host, port, credentials, registration, codecs,
 * where its calls come from and the caller ID shown.
 */
export interface TrunkSettings {
  /** Provider's SIP host (name or address); undefined = no provider configured yet. */
  host: string | undefined;
  port: number;
  /** Credentials for digest authentication; undefined for trunks authenticated by address. */
  username: string | undefined;
  password: string | undefined;
  /** Register to the provider (needed by most providers that use credentials). */
  register: boolean;
  /** Codecs in the provider's order of preference, e.g. alaw, g729, ulaw. */
  codecs: string[];
  /**
   * Where inbound calls from the provider come from (identify `match`): `host`, `a.b.c.d`,
   * `a.b.c.d/nn`, each optionally with `:port` (`1.2.3.4:5060/32`, `sip.example:5070`; a port
   * restricts the match to that source port, res_pjsip_endpoint_identifier_ip).
   */
  match: string[];
  /** The clinic's number shown on outbound calls (digits), when the provider needs it. */
  callerId: string | undefined;
}

/**
 * One Asterisk server's per-site values for `callcenter asterisk render`: accounts, addresses,
 * TLS, the trunk and the database cel_pgsql/cdr_pgsql write to.
 */
export interface SiteSettings {
  /** Asterisk server id (ASTERISK_SERVERS) these files are for. */
  serverId: string;
  /** PostgreSQL schema of this server's cel/cdr tables. */
  schema: string;
  /** Digest realm of the operators' accounts (SIP_DOMAIN): SIP.js answers the challenge with it. */
  sipRealm: string;
  ari: { username: string; password: string };
  ami: { username: string; secret: string; permit: Cidr[] };
  /** Where cel_pgsql/cdr_pgsql write (ASTERISK_DATABASE_URL). */
  database: { host: string; port: number; name: string; user: string; password: string };
  trunk: TrunkSettings;
  nat: {
    /** The address phones and the provider reach Asterisk at (published ports), if behind NAT. */
    externalAddress: string | undefined;
    /** Networks reached without NAT. */
    localNets: Cidr[];
    /** Asterisk's own address inside its network, mapped to externalAddress in ICE candidates. */
    asteriskIp: string | undefined;
  };
  /**
   * Where Asterisk listens. `address` is the HTTP server's (ARI, SIP over WebSocket) and AMI's
   * bind address (ASTERISK_BIND_ADDRESS, default 127.0.0.1: nothing outside the machine reaches
   * them unless configured); SIP over UDP listens on every address at `sipPort` (the provider).
   */
  listen: { address: string; httpPort: number; httpsPort: number; amiPort: number; sipPort: number };
  /**
   * TLS of the HTTP server (WSS for browsers on `listen.httpsPort`): set only when the configured
   * certificate and key files exist (ASTERISK_TLS_CERT, ASTERISK_TLS_KEY); else no TLS listener.
   */
  tls: { certFile: string; keyFile: string } | undefined;
  /** Why TLS is off although a certificate is configured (a file is missing), for a warning. */
  tlsSkipped: string | undefined;
  /**
   * Asterisk's `systemname` (ASTERISK_SYSTEM_NAME): prefixes every uniqueid and linkedid, so that
   * several servers writing into one database never share an id. Written into asterisk.conf by
   * the complete render (`--env-file`); undefined: none.
   */
  systemName: string | undefined;
  /** STUN server for Asterisk's own ICE candidates (first of STUN_URLS). */
  stun: { host: string; port: number } | undefined;
  /**
   * Where MixMonitor writes recordings (ASTERISK_MONITOR_DIR, default Asterisk's
   * /var/spool/asterisk/monitor): the dialplan's RECDIR; the app maps this prefix of CEL's and
   * CDR's recording paths onto RECORDINGS_DIR.
   */
  monitorDir: string;
  /**
   * When the IVRs are open (GotoIfTime ranges; BUSINESS_HOURS_WEEKDAYS, BUSINESS_HOURS_SATURDAY):
   * outside both, ivr-main and ivr-services send callers to the after-hours message and voicemail.
   */
  businessHours: { weekdays: string; saturday: string };
}
