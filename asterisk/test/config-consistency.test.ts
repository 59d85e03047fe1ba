import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASTERISK_MONITOR_PREFIX, openRecording } from '@callcenter/api/recordings';
import { reconcile } from '@callcenter/ingest/reconcile';
import { CDR_COLUMNS, CEL_COLUMNS } from '@callcenter/ingest/sources/columns';
import { readCdrCsv, readCelCsv } from '@callcenter/ingest/sources/csv';
import { asteriskTablesDdl } from '@callcenter/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { type ConfSection, effectiveEntries, entryValue, loadConf } from '../src/conf/asterisk-conf.ts';
import { OPERATORS, REPO_ROOT, renderedEtc } from './support/asterisk-test-kit.ts';
import { dialplanSteps, referencedContexts, splitTop } from './support/dialplan.ts';
import { evaluate } from './support/dialplan-eval.ts';

let etc: ReturnType<typeof renderedEtc>;
const conf = (file: string): ConfSection[] => loadConf(etc.dir, file);
beforeAll(() => {
  etc = renderedEtc();
});
afterAll(() => etc.dispose());

describe('asterisk/etc with the rendered parts', () => {
  it('reads every file, every #include resolving to a rendered file', () => {
    for (const file of [
      'pjsip.conf',
      'extensions.conf',
      'queues.conf',
      'ari.conf',
      'manager.conf',
      'rtp.conf',
    ])
      expect(conf(file).length).toBeGreaterThan(0);
    for (const file of [
      'cel_pgsql.conf',
      'cdr_pgsql.conf',
      'http.conf',
      'modules.conf',
      'cel.conf',
      'cdr.conf',
    ])
      expect(conf(file).length).toBeGreaterThan(0);
  });

  it('gives every operator an endpoint for their kind of phone, with its auth and aor', () => {
    const pjsip = conf('pjsip.conf');
    const typed = (name: string, type: string) =>
      pjsip.filter(
        (s) => s.name === name && !s.isTemplate && entryValue(effectiveEntries(pjsip, s), 'type') === type,
      );
    for (const op of OPERATORS) {
      const [endpoint] = typed(op.endpoint, 'endpoint');
      expect(endpoint, `endpoint ${op.endpoint}`).toBeDefined();
      const entries = effectiveEntries(pjsip, endpoint!);
      if (op.phone === 'webrtc') {
        expect(entryValue(entries, 'webrtc')).toBe('yes');
        expect(entryValue(entries, 'transport')).toBe('transport-wss');
        expect(entryValue(entries, 'allow')).toBe('opus,ulaw');
      } else {
        // A desk phone: plain SIP/RTP with G.711 on the UDP transport, no WebRTC.
        expect(entryValue(entries, 'webrtc')).toBeUndefined();
        expect(entryValue(entries, 'transport')).toBe('transport-udp');
        expect(entryValue(entries, 'allow')).toBe('alaw,ulaw');
      }
      expect(entryValue(entries, 'context')).toBe('operators');
      expect(typed(entryValue(entries, 'auth')!, 'auth')).toHaveLength(1);
      expect(typed(entryValue(entries, 'aors')!, 'aor')).toHaveLength(1);
    }
    const wss = pjsip.find((s) => s.name === 'transport-wss' && !s.additive)!;
    expect(entryValue(wss.entries, 'protocol')).toBe('wss');
    // The trunk: provider codec order, G.711 A-law first.
    const trunk = typed('trunk', 'endpoint')[0]!;
    expect(entryValue(effectiveEntries(pjsip, trunk), 'allow')).toBe('alaw,ulaw');
    expect(entryValue(effectiveEntries(pjsip, trunk), 'context')).toBe('from-trunk');
  });

  it('sends calls only to contexts that exist, and queues only to queues that exist', () => {
    const extensions = conf('extensions.conf');
    const contexts = new Set(extensions.map((s) => s.name));
    // res_parking creates each parking lot's context (res_parking.conf `context`) at load.
    for (const lot of conf('res_parking.conf').filter((s) => s.name !== 'general'))
      contexts.add(entryValue(lot.entries, 'context') ?? 'parkedcalls');
    const steps = dialplanSteps(extensions);
    const missing: string[] = [];
    for (const step of steps)
      for (const context of referencedContexts(step))
        if (!contexts.has(context)) missing.push(`${step.at}: ${context}`);
    for (const s of extensions)
      for (const e of s.entries.filter((x) => x.key === 'include'))
        if (!contexts.has(e.value)) missing.push(`${e.at}: include ${e.value}`);
    const pjsip = conf('pjsip.conf');
    for (const s of pjsip.filter((x) => !x.isTemplate)) {
      const context = entryValue(effectiveEntries(pjsip, s), 'context');
      if (context && !contexts.has(context)) missing.push(`${s.at}: context ${context}`);
    }
    expect(missing).toEqual([]);

    const queues = new Set(
      conf('queues.conf')
        .filter((s) => !s.isTemplate && s.name !== 'general')
        .map((s) => s.name),
    );
    const used = steps.filter((s) => s.app === 'Queue').map((s) => splitTop(s.args, ',')[0]!.trim());
    expect(used.length).toBeGreaterThanOrEqual(3);
    for (const queue of used) expect(queues, `Queue(${queue})`).toContain(queue);
    // …and every queue is reachable from the dialplan and has members.
    expect([...queues].sort()).toEqual([...new Set(used)].sort());
    for (const queue of queues) {
      const members = conf('queues.conf')
        .filter((s) => s.name === queue)
        .flatMap((s) => s.entries.filter((e) => e.key === 'member'));
      expect(members.length, `members of ${queue}`).toBe(OPERATORS.length);
    }

    const mailboxes = new Set(
      conf('voicemail.conf').flatMap((s) => s.entries.map((e) => `${e.key}@${s.name}`)),
    );
    const boxes = steps
      .filter((s) => s.app === 'VoiceMail')
      .map((s) => splitTop(s.args, ',')[0]!)
      .map((box) => box.replace(`\${VM_BOX}`, ''));
    for (const box of boxes.filter((b) => !b.startsWith('@'))) expect(mailboxes).toContain(box);
    for (const s of steps.filter((x) => x.app === 'Set' && x.args.startsWith('VM_BOX=')))
      expect(mailboxes).toContain(`${s.args.slice('VM_BOX='.length)}@clinic`);
    // Outbound calls dial the trunk endpoint.
    const dials = steps.filter((s) => s.app === 'Dial').map((s) => splitTop(s.args, ',')[0]!);
    expect(dials).toContain(`PJSIP/\${ARG1}@trunk`);
  });

  it('logs a CEL APP_START for every application the dialplan runs (cel.conf apps)', () => {
    const apps = new Set(entryValue(conf('cel.conf')[0]!.entries, 'apps')!.split(','));
    const used = new Set(dialplanSteps(conf('extensions.conf')).map((s) => s.app.toLowerCase()));
    expect([...used].filter((a) => !apps.has(a))).toEqual([]);
    // Outgoing legs (Queue members, Dial targets) carry the pseudo-applications.
    for (const pseudo of ['appdial', 'appqueue', 'mixmonitor']) expect(apps).toContain(pseudo);
    expect(entryValue(conf('cel.conf')[0]!.entries, 'events')).toBe('ALL');
  });
});

describe('CEL and CDR tables', () => {
  const ddlColumns = (table: 'cel' | 'cdr') => {
    const ddl = asteriskTablesDdl('asterisk');
    const body = new RegExp(`CREATE TABLE IF NOT EXISTS "asterisk"\\.${table} \\(([\\s\\S]*?)\\n\\);`).exec(
      ddl,
    )![1]!;
    return body
      .split(/,\n/)
      .map((line) => line.trim().split(/\s+/))
      .map(([name = '', ...rest]) => ({ name: name.replaceAll('"', ''), def: rest.join(' ') }));
  };

  // The fields the backends fill by column name (cel_pgsql.c pgsql_log; cdr_pgsql.c fills every
  // column named like a CDR variable): the documented column sets.
  const CEL_PGSQL_FIELDS = [
    'eventtype',
    'eventtime',
    'userdeftype',
    'cid_name',
    'cid_num',
    'cid_ani',
    'cid_rdnis',
    'cid_dnid',
    'exten',
    'context',
    'channame',
    'appname',
    'appdata',
    'amaflags',
    'accountcode',
    'peeraccount',
    'uniqueid',
    'linkedid',
    'userfield',
    'peer',
    'extra',
  ];
  const CDR_VARIABLES = [
    'accountcode',
    'src',
    'dst',
    'dcontext',
    'clid',
    'channel',
    'dstchannel',
    'lastapp',
    'lastdata',
    'start',
    'answer',
    'end',
    'duration',
    'billsec',
    'disposition',
    'amaflags',
    'userfield',
    'uniqueid',
    'linkedid',
    'peeraccount',
    'sequence',
  ];

  it('are the tables sql/asterisk defines, the collector reads and the backends fill', () => {
    const cel = ddlColumns('cel');
    const cdr = ddlColumns('cdr');
    expect(cel.map((c) => c.name)).toEqual([...CEL_COLUMNS]);
    expect(cdr.map((c) => c.name)).toEqual([...CDR_COLUMNS]);
    expect(cel.map((c) => c.name).filter((c) => c !== 'id')).toEqual(CEL_PGSQL_FIELDS);
    expect(cdr.map((c) => c.name).filter((c) => c !== 'id')).toEqual(CDR_VARIABLES);
    // `id` is left to its default by both backends; no other NOT NULL column lacks one, except
    // those cel_pgsql always writes.
    for (const c of [...cel, ...cdr].filter(
      (x) => /NOT NULL/.test(x.def) && !/DEFAULT|PRIMARY KEY/.test(x.def),
    ))
      expect(['eventtype', 'eventtime']).toContain(c.name);
    expect(cel[0]!.def).toContain('bigserial');
  });

  it('receive rows in the schema and clock zone the app is configured with', () => {
    const compose = YAML.parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'));
    const [serverId, schema, zone] = String(compose['x-app-environment'].ASTERISK_SERVERS).split(':');
    expect(serverId).toBe('pbx1');
    const cel = effectiveEntries(conf('cel_pgsql.conf'), conf('cel_pgsql.conf')[0]!);
    const cdr = effectiveEntries(conf('cdr_pgsql.conf'), conf('cdr_pgsql.conf')[0]!);
    expect(entryValue(cel, 'table')).toBe(`${schema}.cel`);
    expect(entryValue(cel, 'schema')).toBe(schema);
    expect(entryValue(cdr, 'table')).toBe(`${schema}.cdr`);
    // eventtime and CDR times are written in UTC, the zone ASTERISK_SERVERS gives the server.
    expect(entryValue(cel, 'usegmtime')).toBe('yes');
    expect(entryValue(cdr, 'timezone')).toBe('UTC');
    expect(zone).toBe('UTC');
    expect(entryValue(cel, 'user')).toBe('asterisk');
  });
});

describe('recordings', () => {
  const subRecord = () => dialplanSteps(conf('extensions.conf')).filter((s) => s.context === 'sub-record');
  const LINKEDID = '1795234908.0';
  const EPOCH = '1795234908'; // 2026-11-21 04:21:48 UTC, the capture's call

  const recordingOf = (direction: string, uniqueid: string) => {
    const steps = subRecord();
    const globals = conf('extensions.conf').find((s) => s.name === 'globals')!;
    const vars: Record<string, string> = {
      RECDIR: entryValue(globals.entries, 'RECDIR')!,
      RECTIME: EPOCH,
      ARG1: direction,
      LINKEDID,
      UNIQUEID: uniqueid,
    };
    const recfile = steps.find((s) => s.app === 'Set' && s.args.startsWith('__RECFILE='))!;
    vars.RECFILE = evaluate(recfile.args.slice('__RECFILE='.length), vars);
    const mix = steps.find((s) => s.app === 'MixMonitor')!;
    const userfield = steps.find((s) => s.app === 'Set' && s.args.startsWith('CDR(userfield)='))!;
    return {
      appdata: evaluate(mix.args, vars),
      userfield: evaluate(userfield.args.slice('CDR(userfield)='.length), vars),
    };
  };

  it('are named after the linkedid under the monitor directory the API maps to RECORDINGS_DIR', () => {
    expect(recordingOf('in', LINKEDID)).toEqual({
      appdata: `${ASTERISK_MONITOR_PREFIX}2026/11/21/20261121-042148-in-${LINKEDID}.wav,b`,
      userfield: `2026/11/21/20261121-042148-in-${LINKEDID}.wav`,
    });
    // A channel that did not start the call (e.g. a Local leg) adds its own uniqueid.
    expect(recordingOf('int', '1795234910.7').userfield).toBe(
      `2026/11/21/20261121-042148-int-${LINKEDID}-1795234910.7.wav`,
    );
    // Every call: the inbound, outbound and internal entries all record.
    const gosubs = dialplanSteps(conf('extensions.conf')).filter((s) => s.args.startsWith('sub-record,'));
    expect(new Set(gosubs.map((s) => /\((\w+)\)/.exec(s.args)![1]))).toEqual(new Set(['in', 'out', 'int']));
  });

  it('reach the call card through CEL (or CDR) and are served by the API from RECORDINGS_DIR', async () => {
    const dir = join(REPO_ROOT, 'fixtures/asterisk/scenarios/01-inbound-answered-caller-hangup');
    const { appdata, userfield } = recordingOf('in', LINKEDID);
    const options = { serverId: 'pbx1', zone: 'UTC' };
    const cel = readCelCsv(readFileSync(join(dir, 'cel.csv'), 'utf8'), options).rows.map((r) =>
      r.appName === 'MixMonitor' ? { ...r, appData: appdata } : r,
    );
    const cdr = readCdrCsv(readFileSync(join(dir, 'cdr.csv'), 'utf8'), options).rows.map((r) =>
      r.userField ? { ...r, userField: userfield } : r,
    );
    const isOperator = (_: string, endpoint: string) => ['101', '102', '103'].includes(endpoint);
    const [fromCel] = reconcile(cel, cdr, { isOperator, closeAll: true }).calls;
    const path = appdata.split(',')[0]!;
    expect(fromCel!.recording_path).toBe(path);
    const withoutMixMonitor = cel.filter((r) => r.appName !== 'MixMonitor');
    const [fromCdr] = reconcile(withoutMixMonitor, cdr, { isOperator, closeAll: true }).calls;
    expect(fromCdr!.recording_path).toBe(userfield);

    // The app sees Asterisk's monitor directory at RECORDINGS_DIR (docker-compose.yml).
    const root = join(etc.dir, 'recordings');
    mkdirSync(join(root, '2026/11/21'), { recursive: true });
    writeFileSync(join(root, userfield), 'RIFF');
    for (const stored of [path, userfield]) {
      const opened = await openRecording(root, stored, 1);
      expect(opened.name).toBe(`20261121-042148-in-${LINKEDID}.wav`);
      expect(opened.size).toBe(4);
      await opened.handle.close();
    }
  });
});
