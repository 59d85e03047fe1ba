import { describe, expect, it } from 'vitest';
import { effectiveEntries, entryValue, parseConf } from '../src/conf/asterisk-conf.ts';
import { operatorProblems } from '../src/operators/operator-account.ts';
import { digestHa1 } from '../src/operators/sip-secret.ts';
import { queueMemberships } from '../src/render/queue-plan.ts';
import { GENERATED_FILE_NAMES, renderConfig } from '../src/render/render-config.ts';
import { siteSettingsFromEnv } from '../src/render/site-env.ts';
import { OPERATORS, SITE_ENV, site, staticConf } from './support/asterisk-test-kit.ts';
import { dialplanSteps } from './support/dialplan.ts';

const render = (env: Record<string, string> = {}, operators = OPERATORS) =>
  new Map(
    renderConfig({
      site: site(env),
      operators,
      queues: queueMemberships(
        ['registry', 'support', 'sales'],
        operators,
        new Map([['sales', ['102', '2001']]]),
      ),
    }).map((f) => [f.name, f.text]),
  );

describe('asterisk render: operators', () => {
  it('gives every operator an endpoint, an auth and an aor named after the endpoint', () => {
    const sections = parseConf(render().get('pjsip_operators.conf')!);
    for (const op of OPERATORS) {
      const own = sections.filter((s) => s.name === op.endpoint);
      const template = op.phone === 'sip' ? 'operator-desk' : 'operator-webrtc';
      expect(own.map((s) => s.templates[0])).toEqual([template, 'operator-auth', 'operator-aor']);
      const endpoint = own[0]!.entries;
      expect(entryValue(endpoint, 'auth')).toBe(op.endpoint);
      expect(entryValue(endpoint, 'aors')).toBe(op.endpoint);
      const auth = own[1]!.entries;
      expect(entryValue(auth, 'username')).toBe(op.endpoint);
      expect(entryValue(auth, 'realm')).toBe('callcenter');
      // RFC 2617 HA1: what SIP.js computes from the endpoint, the realm and the secret.
      expect(entryValue(auth, 'md5_cred')).toBe(digestHa1(op.endpoint, 'callcenter', op.secret));
    }
    const desk = OPERATORS.filter((op) => op.phone === 'sip').length;
    expect(desk).toBeGreaterThan(0);
    expect(sections.filter((s) => s.templates[0] === 'operator-desk')).toHaveLength(desk);
    expect(sections.filter((s) => s.templates[0] === 'operator-webrtc')).toHaveLength(
      OPERATORS.length - desk,
    );
  });

  it('never writes a SIP secret itself, and keeps caller names inside their quotes', () => {
    const text = [...render().values()].join('\n');
    for (const op of OPERATORS) expect(text).not.toContain(op.secret);
    const callerIds = parseConf(render().get('pjsip_operators.conf')!)
      .flatMap((s) => s.entries)
      .filter((e) => e.key === 'callerid')
      .map((e) => e.value);
    expect(callerIds).toEqual([
      '"Иванова Анна" <101>',
      '"Petrov Pete Jr x" <102>',
      '"Operator 103" <103>',
      '"Night shift" <2001>',
    ]);
    // `printf '101:callcenter:x' | md5sum`
    expect(digestHa1('101', 'callcenter', 'x')).toBe('8c6cc582f7fd56f5f83528edd79f7536');
  });

  it('adds queue members to the queues of queues.conf, every operator unless assigned', () => {
    const members = parseConf(render().get('queues_members.conf')!);
    expect(members.map((s) => [s.name, s.additive, s.entries.map((e) => e.value.split(',')[0])])).toEqual([
      ['registry', true, ['PJSIP/101', 'PJSIP/102', 'PJSIP/103', 'PJSIP/2001']],
      ['support', true, ['PJSIP/101', 'PJSIP/102', 'PJSIP/103', 'PJSIP/2001']],
      ['sales', true, ['PJSIP/102', 'PJSIP/2001']],
    ]);
    expect(members[2]!.entries[0]!.value).toBe('PJSIP/102,0,Petrov Pete Jr x,PJSIP/102');
    expect(() => queueMemberships(['support'], OPERATORS, new Map([['vip', ['101']]]))).toThrow(
      'queue "vip" is not in queues.conf',
    );
    expect(() => queueMemberships(['support'], OPERATORS, new Map([['support', ['999']]]))).toThrow(
      'no operator with endpoint 999',
    );
  });

  it('refuses endpoint names that cannot be PJSIP sections or extensions', () => {
    expect(
      operatorProblems([
        { endpoint: '101' },
        { endpoint: '_1XX' },
        { endpoint: 'trunk' },
        { endpoint: '101' },
      ]),
    ).toEqual([
      'endpoint "_1XX" must be 1-40 letters, digits, _ . - starting with a letter or digit',
      'endpoint "trunk" is a name the configuration already uses',
      'endpoint "101" is listed twice',
    ]);
  });
});

describe('asterisk render: site', () => {
  it('renders the trunk with the provider codec order, credentials and registration', () => {
    const trunk = parseConf(render({ TRUNK_CODECS: 'alaw,g729,ulaw' }).get('pjsip_trunk.conf')!);
    expect(trunk[0]!.templates).toEqual(['trunk-endpoint']);
    const endpoint = trunk[0]!.entries;
    expect(entryValue(endpoint, 'allow')).toBe('alaw,g729,ulaw');
    expect(entryValue(endpoint, 'outbound_auth')).toBe('trunk-auth');
    const registration = trunk.find((s) => s.name === 'trunk-registration')!;
    expect(entryValue(registration.entries, 'server_uri')).toBe('sip:sip.provider.example:5060');
    expect(entryValue(registration.entries, 'line')).toBe('yes');
    const identify = trunk.find((s) => entryValue(s.entries, 'type') === 'identify')!;
    expect(entryValue(identify.entries, 'match')).toBe('sip.provider.example');
  });

  it('renders an address-authenticated trunk without auth or registration', () => {
    const trunk = parseConf(
      render({ TRUNK_USERNAME: '', TRUNK_PASSWORD: '', TRUNK_MATCH: '198.51.100.0/28,198.51.100.20' }).get(
        'pjsip_trunk.conf',
      )!,
    );
    expect(trunk.map((s) => s.name)).toEqual(['trunk', 'trunk', 'trunk']);
    expect(trunk[2]!.entries.filter((e) => e.key === 'match').map((e) => e.value)).toEqual([
      '198.51.100.0/28',
      '198.51.100.20',
    ]);
  });

  it('escapes semicolons in secrets and writes cel/cdr into the server schema', () => {
    const files = render({ ASTERISK_DATABASE_URL: 'postgres://asterisk:a%3Bb@db.local:6432/cc' });
    const cel = parseConf(files.get('cel_pgsql_connection.conf')!);
    expect(cel[0]!.additive).toBe(true);
    expect(Object.fromEntries(cel[0]!.entries.map((e) => [e.key, e.value]))).toEqual({
      hostname: 'db.local',
      port: '6432',
      dbname: 'cc',
      user: 'asterisk',
      password: 'a;b',
      table: 'asterisk.cel',
      schema: 'asterisk',
    });
    expect(files.get('cel_pgsql_connection.conf')).toContain('password = a\\;b');
    const cdr = parseConf(files.get('cdr_pgsql_connection.conf')!);
    expect(entryValue(cdr[0]!.entries, 'table')).toBe('asterisk.cdr');
  });

  it('gives the AMI user only the agent class and the compose network', () => {
    const ami = parseConf(render().get('manager_users.conf')!)[0]!;
    expect(ami.name).toBe('callcenter');
    expect(ami.entries.map((e) => `${e.key}=${e.value}`)).toEqual([
      'secret=ami-secret-12345',
      'deny=0.0.0.0/0.0.0.0',
      'permit=172.30.57.0/24',
      'read=agent',
      'write=agent',
      'writetimeout=5000',
    ]);
  });

  it('maps the container address to the published one for ICE and names the STUN server', () => {
    const rtp = parseConf(render().get('rtp_site.conf')!);
    expect(rtp.map((s) => [s.name, s.entries.map((e) => `${e.key}=${e.value}`)])).toEqual([
      ['general', ['stunaddr=stun.l.google.com:19302']],
      ['ice_host_candidates', ['172.30.57.10=203.0.113.7']],
    ]);
  });

  it('writes every file the static configuration includes', () => {
    expect([...render().keys()]).toEqual([...GENERATED_FILE_NAMES]);
  });

  it('lists every missing or bad variable at once', () => {
    const env = { ...SITE_ENV, ARI_PASSWORD: '', TRUNK_CODECS: 'g729', STUN_URLS: 'turn:x' };
    delete (env as Record<string, string | undefined>).AMI_SECRET;
    expect(() => siteSettingsFromEnv('pbx1', 'asterisk', env)).toThrow(
      /ARI_PASSWORD: must be at least 12 characters\n {2}AMI_SECRET: .*\n {2}TRUNK_CODECS: must include alaw or ulaw/,
    );
    expect(() => siteSettingsFromEnv('pbx1', 'asterisk', { ...SITE_ENV, STUN_URLS: 'turn:x' })).toThrow(
      'STUN_URLS: "turn:x" is not stun:host[:port]',
    );
    expect(
      () => siteSettingsFromEnv('pbx1', 'asterisk', { ...SITE_ENV, TRUNK_PASSWORD: 'a\\b' }).trunk,
    ).not.toThrow();
    expect(() => render({ TRUNK_PASSWORD: 'a\\b' })).toThrow('TRUNK_PASSWORD must not contain a backslash');
  });
});

describe('asterisk render: where Asterisk listens', () => {
  const conf = (files: Map<string, string>, name: string) =>
    Object.fromEntries(parseConf(files.get(name)!)[0]!.entries.map((e) => [e.key, e.value]));

  it('binds HTTP (ARI, WebSocket) and AMI to loopback unless ASTERISK_BIND_ADDRESS says otherwise', () => {
    // The static files leave the addresses to the rendered part: nothing listens on 0.0.0.0 by default.
    for (const file of ['http.conf', 'manager.conf'])
      for (const key of ['bindaddr', 'bindport', 'port', 'tlsbindaddr', 'tlscertfile', 'tlsenable'])
        expect(entryValue(staticConf(file)[0]!.entries, key), `${file} ${key}`).toBeUndefined();
    expect(conf(render(), 'http_site.conf')).toEqual({
      bindaddr: '127.0.0.1',
      bindport: '8088',
      tlsenable: 'no',
    });
    expect(conf(render(), 'manager_site.conf')).toEqual({ bindaddr: '127.0.0.1', port: '5038' });
    const custom = render({
      ASTERISK_BIND_ADDRESS: '172.30.57.10',
      ASTERISK_HTTP_PORT: '18088',
      AMI_PORT: '15038',
      ASTERISK_SIP_PORT: '15060',
    });
    expect(conf(custom, 'http_site.conf')).toMatchObject({ bindaddr: '172.30.57.10', bindport: '18088' });
    expect(conf(custom, 'manager_site.conf')).toEqual({ bindaddr: '172.30.57.10', port: '15038' });
    const udp = parseConf(custom.get('pjsip_site.conf')!).find((s) => s.name === 'transport-udp')!;
    expect(entryValue(udp.entries, 'bind')).toBe('0.0.0.0:15060');
    expect(() => site({ ASTERISK_BIND_ADDRESS: 'everywhere' })).toThrow(
      'ASTERISK_BIND_ADDRESS: must be an IP address',
    );
  });

  it('serves TLS (WSS) only with a certificate and key that exist', () => {
    const tlsEnv = {
      ...SITE_ENV,
      ASTERISK_TLS_CERT: '/etc/asterisk/keys/server.crt',
      ASTERISK_TLS_KEY: '/etc/asterisk/keys/server.key',
    };
    const withFiles = (exists: (path: string) => boolean) =>
      new Map(
        renderConfig({
          site: siteSettingsFromEnv('pbx1', 'asterisk', tlsEnv, exists),
          operators: [],
          queues: [],
        }).map((f) => [f.name, f.text]),
      );
    expect(
      conf(
        withFiles(() => true),
        'http_site.conf',
      ),
    ).toEqual({
      bindaddr: '127.0.0.1',
      bindport: '8088',
      tlsenable: 'yes',
      tlsbindaddr: '127.0.0.1:8089',
      tlscertfile: '/etc/asterisk/keys/server.crt',
      tlsprivatekey: '/etc/asterisk/keys/server.key',
    });
    // A certificate that does not exist (a new installation) is no TLS listener, not an error at
    // every start; render says why.
    const missing = (path: string) => !path.endsWith('.crt');
    expect(conf(withFiles(missing), 'http_site.conf').tlsenable).toBe('no');
    expect(siteSettingsFromEnv('pbx1', 'asterisk', tlsEnv, missing).tlsSkipped).toBe(
      'no TLS (WSS) listener: /etc/asterisk/keys/server.crt does not exist',
    );
    expect(() =>
      siteSettingsFromEnv(
        'pbx1',
        'asterisk',
        { ...SITE_ENV, ASTERISK_TLS_CERT: '/k/server.crt' },
        () => true,
      ),
    ).toThrow('ASTERISK_TLS_KEY: required with ASTERISK_TLS_CERT');
  });
});

describe('asterisk render: the trunk and caller identity', () => {
  it('matches the provider on addresses, networks and host names, each optionally with a port', () => {
    const trunk = parseConf(
      render({
        TRUNK_MATCH: '198.51.100.20:5060, 198.51.100.0:5060/28,sip.provider.example:5070,10.0.0.0/8',
      }).get('pjsip_trunk.conf')!,
    );
    const identify = trunk.find((s) => entryValue(s.entries, 'type') === 'identify')!;
    expect(identify.entries.filter((e) => e.key === 'match').map((e) => e.value)).toEqual([
      '198.51.100.20:5060',
      '198.51.100.0:5060/28',
      'sip.provider.example:5070',
      '10.0.0.0/8',
    ]);
    for (const bad of [
      '198.51.100.300',
      'sip.provider.example:70000',
      'sip.provider.example/24',
      'a b',
      ':5060',
    ])
      expect(() => site({ TRUNK_MATCH: bad }), bad).toThrow('TRUNK_MATCH: must be host names');
  });

  it('identifies operators by user name before the trunk by address', () => {
    // A trunk matched on an address the phones share (127.0.0.1, the proxy's network) must not
    // capture operators: res_pjsip tries the identifiers in this order.
    const global = staticConf('pjsip.conf').find((s) => s.name === 'global')!;
    const order = entryValue(global.entries, 'endpoint_identifier_order')!.split(',');
    expect(order.indexOf('username')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('username')).toBeLessThan(order.indexOf('ip'));
  });

  it('sends the provider no connected-line updates that would name an internal extension', () => {
    const pjsip = staticConf('pjsip.conf');
    const trunk = effectiveEntries(pjsip, pjsip.find((s) => s.name === 'trunk-endpoint')!);
    expect(entryValue(trunk, 'send_connected_line')).toBe('no');
    expect(entryValue(trunk, 'send_pai')).toBe('yes');
  });

  it("calls out with the operator's or the clinic's caller ID, never the number dialled", () => {
    const steps = dialplanSteps(staticConf('extensions.conf'));
    const of = (context: string) => steps.filter((s) => s.context === context);
    for (const context of ['sub-outbound', 'sub-dial-operator']) {
      const apps = of(context).map((s) => `${s.app}(${s.args.split(',')[0]})`);
      expect(apps.indexOf('Gosub(sub-operator-callerid)'), context).toBeGreaterThanOrEqual(0);
      expect(apps.indexOf('Gosub(sub-operator-callerid)')).toBeLessThan(
        apps.findIndex((a) => a.startsWith('Dial(')),
      );
    }
    // The caller ID comes from the endpoint's own configuration (pjsip_operators.conf callerid).
    expect(of('sub-operator-callerid').map((s) => `${s.app}(${s.args})`)).toContain(
      `Set(CALLERID(all)=\${PJSIP_ENDPOINT(\${CHANNEL(endpoint)},callerid)})`,
    );
    const outbound = of('sub-outbound').map((s) => `${s.app}(${s.args})`);
    expect(outbound).toContain(`Set(CALLERID(num)=\${OUTBOUND_CALLERID})`);
    expect(outbound).toContain(`Set(CALLERID(name)=\${OUTBOUND_CALLERID})`);
  });
});

describe('asterisk/etc: what Asterisk reads at start', () => {
  it('sets no absolute load or free-memory limit that refuses calls on a busy 2-core server', () => {
    const options = staticConf('asterisk.conf').find((s) => s.name === 'options')!;
    expect(entryValue(options.entries, 'maxload')).toBeUndefined();
    expect(entryValue(options.entries, 'minmemfree')).toBeUndefined();
  });

  it("ships the files Asterisk's core and modules load even when unused (no error at start)", () => {
    for (const file of ['acl.conf', 'udptl.conf', 'ccss.conf', 'pjproject.conf', 'websocket_client.conf'])
      expect(() => staticConf(file), file).not.toThrow();
  });

  it('derives the CEL/CDR login from ASTERISK_DB_PASSWORD as docker-compose.yml does, or says what is required', () => {
    const { ASTERISK_DATABASE_URL: _, ...env } = SITE_ENV;
    const derived = siteSettingsFromEnv('pbx1', 'asterisk', {
      ...env,
      ASTERISK_DB_PASSWORD: 'p@ss;word',
      POSTGRES_DB: 'clinic',
    });
    expect(derived.database).toEqual({
      host: 'postgres',
      port: 5432,
      name: 'clinic',
      user: 'asterisk',
      password: 'p@ss;word',
    });
    expect(() => siteSettingsFromEnv('pbx1', 'asterisk', env)).toThrow(
      'ASTERISK_DATABASE_URL: required: postgres://user:password@host:port/database',
    );
  });
});
