import { describe, expect, it } from 'vitest';
import { entryValue, parseConf } from '../src/conf/asterisk-conf.ts';
import { operatorProblems } from '../src/operators/operator-account.ts';
import { digestHa1 } from '../src/operators/sip-secret.ts';
import { queueMemberships } from '../src/render/queue-plan.ts';
import { GENERATED_FILE_NAMES, renderConfig } from '../src/render/render-config.ts';
import { siteSettingsFromEnv } from '../src/render/site-env.ts';
import { OPERATORS, SITE_ENV, site } from './support/asterisk-test-kit.ts';

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
