import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import {
  ASTERISK_ETC_DIR,
  asteriskConfText,
  copyStaticConf,
  definedQueues,
  type ListedOperator,
  OPERATOR_PHONES,
  type OperatorPhone,
  operatorProblems,
  operatorsFromList,
  provisionOperators,
  queueMemberships,
  reloadAsterisk,
  renderConfig,
  SECRETS_FILE_NAME,
  siteSettingsFromEnv,
  writeGeneratedFile,
} from '@callcenter/asterisk';
import { runCommand, UsageError } from '@callcenter/platform/errors';
import { Command, InvalidArgumentError } from 'commander';

/**
 * `callcenter asterisk render [--out DIR] [--env-file FILE] [--operators 101,102]
 * [--server-id pbx1] [--queue-members QUEUE=E1,E2]… [--etc DIR] [--reload]`
 *
 * Renders the site's part of the Asterisk configuration: one WebRTC endpoint, auth and aor per
 * operator, queue members, the provider trunk, the ARI and AMI users, the cel_pgsql/cdr_pgsql
 * connections, where HTTP (ARI, WebSocket), TLS, AMI and SIP listen, NAT and STUN settings.
 *
 * - Without `--env-file`: the variables come from the environment and DIR gets only the rendered
 *   files (the directory the static files of asterisk/etc include as generated/; docker-compose.yml
 *   mounts it at /etc/asterisk/generated).
 * - With `--env-file FILE` (dotenv, the variables docker-compose.yml reads from .env; a variable
 *   set in the environment wins, as with compose): DIR gets the complete configuration, every
 *   *.conf of `--etc` (asterisk.conf and modules.conf included) plus the rendered files in
 *   DIR/generated, ready for `asterisk -C DIR/asterisk.conf`.
 *
 * Operators: `--operators` lists endpoints (secrets kept in operator-secrets.json beside the
 * rendered files); otherwise the active operators of the server in app.operators, from
 * DATABASE_URL or the running embedded PostgreSQL; with neither, OPERATOR_ENDPOINTS (as on the
 * stack's first start; secrets kept as for `--operators`). An operator without a SIP secret gets
 * a new one, stored in app.operators.sip_secret for the API to hand to the softphone. The site
 * settings are listed in README "Asterisk and the compose stack".
 *
 * Output: one line per file written and a summary on stdout, warnings on stderr. Exit 2 for bad
 * options or configuration (every problem listed, "required: …" for a missing variable), no
 * operators from anywhere, or an unreadable env file; 1 when the database or ARI (--reload) fails.
 */

interface RenderOptions {
  out?: string;
  envFile?: string;
  operators?: ListedOperator[];
  serverId?: string;
  queueMembers?: Map<string, string[]>;
  etc: string;
  reload: boolean;
}

const endpointList = (value: string): string[] => {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('give at least one endpoint, e.g. 101,102');
  return items;
};

/** `101,102:sip`: endpoints, each optionally with its phone kind (default `webrtc`). */
const operatorList = (value: string): ListedOperator[] =>
  endpointList(value).map((item) => {
    const [endpoint, phone = 'webrtc', extra] = item.split(':');
    if (extra !== undefined || !endpoint || !(OPERATOR_PHONES as readonly string[]).includes(phone))
      throw new InvalidArgumentError(
        `expected ENDPOINT or ENDPOINT:PHONE with PHONE one of ${OPERATOR_PHONES.join(', ')}, got "${item}"`,
      );
    return { endpoint, phone: phone as OperatorPhone };
  });

const queueAssignment = (
  value: string,
  previous: Map<string, string[]> | undefined,
): Map<string, string[]> => {
  const m = /^([^=\s]+)=(.+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`expected QUEUE=ENDPOINT,ENDPOINT, got "${value}"`);
  const next = new Map(previous);
  next.set(m[1]!, endpointList(m[2]!));
  return next;
};

/**
 * `callcenter asterisk render`: writes the per-operator and site parts of the Asterisk
 * configuration (pjsip endpoints, queue members, trunk, ARI/AMI users, CEL/CDR connections) from
 * the environment (or `--env-file`) and app.operators (or `--operators`) into generated/; with
 * `--env-file`, the complete configuration (README.md, "Asterisk").
 */
export function renderCommand(): Command {
  return new Command('render')
    .description(
      'render the per-operator and site parts of the Asterisk configuration (pjsip endpoints, queue members, trunk, ARI/AMI users, CEL/CDR connections) into the directory Asterisk includes as generated/',
    )
    .option(
      '--out <dir>',
      'where to write the files (default DATA_DIR/asterisk/generated, with --env-file DATA_DIR/asterisk/etc)',
    )
    .option(
      '--env-file <file>',
      'read the variables from this dotenv file (as docker-compose reads .env; the environment wins) and write the complete configuration: every static .conf file plus generated/',
    )
    .option(
      '--operators <endpoints>',
      "operators' endpoints, comma-separated, instead of app.operators; ENDPOINT:sip for a desk phone (default: the web softphone)",
      operatorList,
    )
    .option('--server-id <id>', 'the Asterisk server of ASTERISK_SERVERS (default: the first)')
    .option(
      '--queue-members <queue=endpoints>',
      'members of one queue, e.g. sales=102,103 (repeatable); other queues get every operator',
      queueAssignment,
    )
    .option('--etc <dir>', 'the static configuration whose queues are used', ASTERISK_ETC_DIR)
    .option(
      '--reload',
      'then ask the running Asterisk to reload over ARI (ARI_URL, ARI_USERNAME, ARI_PASSWORD)',
      false,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npx callcenter asterisk render --out /etc/asterisk/generated --server-id pbx1\n  npx callcenter asterisk render --out /tmp/generated --operators 101,102 --queue-members sales=102\n  npx callcenter asterisk render --out /tmp/asterisk-etc --env-file .env',
    )
    .action(async (opts: RenderOptions) => runCommand(() => render(opts)));
}

async function render(opts: RenderOptions): Promise<void> {
  const { join } = await import('node:path');
  const { loadConfig, pickServer } = await import('@callcenter/platform/config');

  const env = opts.envFile ? { ...readEnvFile(opts.envFile), ...process.env } : process.env;
  const config = loadConfig(env);
  const server = pickServer(config, opts.serverId);
  const site = siteSettingsFromEnv(server.id, server.schema, env);
  const complete = opts.envFile !== undefined;
  const dir = opts.out ?? join(config.dataDir, 'asterisk', complete ? 'etc' : 'generated');
  const out = complete ? join(dir, 'generated') : dir;

  let operators: Awaited<ReturnType<typeof loadOperators>>;
  try {
    operators = await loadOperators(opts, server.id, out, config);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new Error(`cannot read app.operators: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (operators.accounts.length === 0)
    throw new UsageError(
      `no active operators for server ${server.id} in app.operators: add them (OPERATOR_ENDPOINTS on the first start, or user add --endpoint) or give --operators`,
    );
  const problems = operatorProblems(operators.accounts);
  if (problems.length > 0) throw new UsageError(`cannot render these operators:\n  ${problems.join('\n  ')}`);

  let queues: ReturnType<typeof queueMemberships>;
  try {
    queues = queueMemberships(definedQueues(opts.etc), operators.accounts, opts.queueMembers ?? new Map());
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const files = renderConfig({ site, operators: operators.accounts, queues });
  if (complete) {
    const edits = { 'asterisk.conf': (text: string) => asteriskConfText(text, site) };
    for (const path of copyStaticConf(opts.etc, dir, edits)) console.log(`wrote ${path}`);
  } else if (site.systemName)
    console.error(
      'callcenter: warning: ASTERISK_SYSTEM_NAME is written into asterisk.conf by the complete render (--env-file) only',
    );
  for (const file of files) console.log(`wrote ${writeGeneratedFile(out, file.name, file.text)}`);
  if (operators.secretsFile)
    console.log(
      `wrote ${writeGeneratedFile(out, operators.secretsFile.name, operators.secretsFile.text, 0o600)}`,
    );
  if (site.tlsSkipped) console.error(`callcenter: warning: ${site.tlsSkipped}`);
  if (!site.trunk.host)
    console.error(
      'callcenter: warning: TRUNK_HOST is not set: the trunk has no address, outbound calls fail',
    );
  console.log(
    `rendered ${files.length} files for server ${server.id} (tables ${server.schema}.cel/cdr): ` +
      `${operators.accounts.length} operators from ${operators.source} (${operators.newSecrets} new SIP secrets), ` +
      `${queues.length} queues (${queues.map((q) => `${q.queue}: ${q.members.length}`).join(', ')})`,
  );

  if (opts.reload) {
    const url = process.env.ARI_URL;
    if (!url) throw new UsageError('--reload needs ARI_URL (e.g. http://asterisk:8088)');
    for (const line of await reloadAsterisk({
      url,
      username: site.ari.username,
      password: site.ari.password,
    }))
      console.log(line);
  }
}

/** The variables of a dotenv file (`KEY=value` lines, `#` comments, quotes), as Node parses them. */
function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read --env-file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseEnv(text) as Record<string, string>;
}

async function loadOperators(
  opts: RenderOptions,
  serverId: string,
  out: string,
  config: { databaseUrl: string | undefined; dataDir: string; operatorEndpoints: string[] },
) {
  const { join } = await import('node:path');
  const listed = async (operators: ListedOperator[], from: string) => {
    const result = operatorsFromList(operators, join(out, SECRETS_FILE_NAME));
    return {
      accounts: result.accounts,
      newSecrets: result.newSecrets,
      source: `${from} (secrets in ${SECRETS_FILE_NAME})`,
      secretsFile: { name: SECRETS_FILE_NAME, text: `${JSON.stringify(result.secrets, null, 2)}\n` },
    };
  };
  if (opts.operators) return listed(opts.operators, '--operators');
  const { alreadyRunning, clusterDir } = await import('@callcenter/platform/embedded-postgres');
  const url =
    config.databaseUrl ?? (await alreadyRunning(clusterDir(join(config.dataDir, 'postgres'))))?.url ?? null;
  if (!url && config.operatorEndpoints.length > 0)
    return listed(
      config.operatorEndpoints.map((endpoint) => ({ endpoint, phone: 'webrtc' as const })),
      'OPERATOR_ENDPOINTS',
    );
  if (!url)
    throw new UsageError(
      'no database to read operators from: set DATABASE_URL (or start the main job), or give --operators or OPERATOR_ENDPOINTS',
    );
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const provisioned = await provisionOperators(client, serverId);
    return { ...provisioned, source: 'app.operators', secretsFile: null };
  } finally {
    await client.end().catch(() => {});
  }
}
