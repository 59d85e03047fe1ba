import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { CAPTURE_SCENARIOS, type CaptureScenario } from './capture-scenarios.ts';
import { ARI_PASSWORD, ARI_USERNAME, type Lab, type LabServer, REPO_ROOT, startLab } from './lab.ts';
import {
  CAPTURE_AMI_SECRET,
  CAPTURE_AMI_USER,
  captureAmiSection,
  type Recorder,
  recordAmi,
  recordAri,
  tableCsv,
} from './recorders.ts';

/**
 * `npm run pbx:capture -- SCENARIO [--out DIR]` — plays one scenario of capture-scenarios.ts on
 * the real-PBX lab (Debian's Asterisk with the product's rendered configuration, a main job
 * beside it without ARI so the capture owns the Stasis app `callcenter`) and writes, in the layout
 * of fixtures/asterisk/scenarios/NN-name/ (fixtures/asterisk/README.md):
 *
 *   cel.csv, cdr.csv   every row and column of the server's tables, psql CSV with a header
 *   ari.jsonl          ARI events, app `callcenter`, subscribeAll=true, as Asterisk sent them
 *   ami.jsonl          AMI events (a read-only capture user with every class), with `_received`
 *   queue_log.txt      Asterisk's queue_log of the call (when queues were involved)
 *   README.md          what the SIP peers did, the Asterisk version, the channels and CDR rows
 *
 * `--list` names the scenarios. Exits 1 with the reason when the lab or a peer fails.
 */

async function settle(lab: Lab, server: LabServer): Promise<void> {
  // Asterisk writes CEL/CDR as channels end: wait for no channel, every linkedid ended and
  // the row count still for a second.
  const deadline = Date.now() + 60_000;
  let last = -1;
  for (;;) {
    const channels = await server.cli('core show channels count');
    const [counted] = await lab.query<{ rows: number; open: number }>(
      `SELECT count(*)::int AS rows,
              (SELECT count(DISTINCT linkedid)::int FROM "${server.schema}".cel)
                - (SELECT count(DISTINCT linkedid)::int FROM "${server.schema}".cel WHERE eventtype = 'LINKEDID_END') AS open
         FROM "${server.schema}".cel`,
    );
    const { rows, open } = counted!;
    if (/^0 active channels/m.test(channels) && open === 0 && rows > 0 && rows === last) return;
    if (Date.now() > deadline)
      throw new Error(`the calls did not end within 60 s (${rows} CEL rows, ${open} linkedids open)`);
    last = rows;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function readme(
  scenario: CaptureScenario,
  version: string,
  counts: Record<string, number>,
  cel: string,
  cdr: string,
): string {
  const records = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];
  const channels = records(cel)
    .filter((r) => r.eventtype === 'CHAN_START')
    .map((r) => `| ${r.uniqueid} | ${r.channame} | ${r.linkedid} | ${r.eventtime} |`);
  const cdrRows = records(cdr).map(
    (r) =>
      `| ${r.src} | ${r.dst} | ${r.dcontext} | ${r.channel} | ${r.dstchannel} | ${r.lastapp} | ${r.disposition} | ${r.duration} | ${r.billsec} |`,
  );
  return [
    `# ${scenario.name}`,
    '',
    `${scenario.title}.`,
    '',
    `Captured by \`npm run pbx:capture -- ${scenario.name}\` on ${new Date().toISOString().slice(0, 10)} from`,
    `${version} (Debian's package, asterisk/pbx/install.sh) running the product's rendered`,
    'configuration (asterisk/etc + `callcenter asterisk render`), systemname `pbx1` (so uniqueids',
    'read `pbx1-<epoch>.<n>`), CEL/CDR through cel_pgsql/cdr_pgsql into PostgreSQL, SIP peers played',
    'by SIPp (asterisk/pbx/sipp/).',
    '',
    '## What the SIP peers did',
    '',
    ...scenario.script.map((line) => `- ${line}`),
    '',
    '## Files',
    '',
    '| file | rows |',
    '|---|---|',
    ...Object.entries(counts).map(([file, n]) => `| ${file} | ${n} |`),
    '',
    '## Channels (CEL CHAN_START)',
    '',
    '| uniqueid | channel | linkedid | start (UTC) |',
    '|---|---|---|---|',
    ...channels,
    '',
    '## CDR',
    '',
    '| src | dst | dcontext | channel | dstchannel | lastapp | disposition | duration | billsec |',
    '|---|---|---|---|---|---|---|---|---|',
    ...cdrRows,
    '',
  ].join('\n');
}

async function capture(scenario: CaptureScenario, outRoot: string): Promise<string> {
  const out = join(outRoot, scenario.name);
  mkdirSync(out, { recursive: true });
  const lab = await startLab([{ id: 'pbx1', operators: scenario.operators }], {
    mainJobAri: false,
    beforeStart: ({ etc }) => {
      appendFileSync(join(etc, 'generated', 'manager_users.conf'), captureAmiSection());
    },
  });
  const recorders: Recorder[] = [];
  try {
    const server = lab.servers[0]!;
    const ari = await recordAri({
      url: `http://127.0.0.1:${server.httpPort}`,
      username: ARI_USERNAME,
      password: ARI_PASSWORD,
      // Its own application: the main job's (`callcenter`) has an event filter (only what the
      // live tracker reads); a capture keeps every event.
      app: 'callcenter-capture',
    });
    recorders.push(ari);
    const ami = await recordAmi({
      host: '127.0.0.1',
      port: server.amiPort,
      username: CAPTURE_AMI_USER,
      secret: CAPTURE_AMI_SECRET,
    });
    recorders.push(ami);
    await scenario.run(lab, server);
    await settle(lab, server);
    await new Promise((r) => setTimeout(r, 500));
    for (const recorder of recorders.splice(0)) await recorder.close();

    const cel = await tableCsv(lab.databaseUrl, server.schema, 'cel');
    const cdr = await tableCsv(lab.databaseUrl, server.schema, 'cdr');
    writeFileSync(join(out, 'cel.csv'), cel);
    writeFileSync(join(out, 'cdr.csv'), cdr);
    const ariLines = ari.lines();
    const amiLines = ami.lines();
    writeFileSync(join(out, 'ari.jsonl'), ariLines.map((l) => `${l}\n`).join(''));
    writeFileSync(join(out, 'ami.jsonl'), amiLines.map((l) => `${l}\n`).join(''));
    const counts: Record<string, number> = {
      'cel.csv': cel.trim().split('\n').length - 1,
      'cdr.csv': cdr.trim().split('\n').length - 1,
      'ari.jsonl': ariLines.length,
      'ami.jsonl': amiLines.length,
    };
    const queueLog = join(server.work, 'log', 'queue_log');
    if (existsSync(queueLog)) {
      const text = readFileSync(queueLog, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '' && !/\|NONE\|NONE\|NONE\|QUEUESTART\|/.test(l));
      if (text.length) {
        writeFileSync(join(out, 'queue_log.txt'), `${text.join('\n')}\n`);
        counts['queue_log.txt'] = text.length;
      }
    }
    const version = (await server.cli('core show version')).match(/Asterisk \S+/)?.[0] ?? 'Asterisk';
    writeFileSync(join(out, 'README.md'), readme(scenario, version, counts, cel, cdr));
    return `${out}: ${Object.entries(counts)
      .map(([f, n]) => `${f} ${n}`)
      .join(', ')}`;
  } finally {
    for (const recorder of recorders) await recorder.close().catch(() => {});
    await lab.stop();
  }
}

const program = new Command('pbx:capture')
  .description('play a scenario on the real-PBX lab and write its CEL/CDR CSV, ARI and AMI events')
  .argument('[scenario]', 'scenario name (or its NN prefix); --list names them')
  .option(
    '--out <dir>',
    'folder the scenario folder is written into',
    join(REPO_ROOT, 'fixtures/asterisk/scenarios-22'),
  )
  .option('--list', 'list the scenarios', false)
  .action(async (name: string | undefined, options: { out: string; list: boolean }) => {
    if (options.list || !name) {
      for (const s of CAPTURE_SCENARIOS) console.log(`${s.name}  ${s.title}`);
      return;
    }
    const scenario = CAPTURE_SCENARIOS.find((s) => s.name === name || s.name.startsWith(`${name}-`));
    if (!scenario)
      throw new Error(`no scenario ${name}; one of: ${CAPTURE_SCENARIOS.map((s) => s.name).join(', ')}`);
    console.log(`capturing ${scenario.name} …`);
    console.log(await capture(scenario, options.out));
  });

program.parseAsync(process.argv).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`pbx:capture: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
