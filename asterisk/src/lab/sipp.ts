import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * SIPp (Debian's `sip-tester`) as the test PBX's callers, trunk peer and desk phones.
 *
 * Scenarios live in asterisk/pbx/sipp/ as templates: `@KEY@` is replaced by a value,
 * `@INC:file@` by another template file, `@INC:file|K=V,K=V@` by that file with local values.
 * SIPp's own `[keyword]`s are left for SIPp.
 */

export const SIPP_DIR = fileURLToPath(new URL('../../pbx/sipp/', import.meta.url));
/** The RFC 4733 DTMF recordings Debian's sip-tester ships (dtmf_2833_<digit>.pcap). */
export const DTMF_PCAP_DIR = '/usr/share/sip-tester';

/** A template with its values filled in; throws naming the first `@KEY@` left without a value. */
export function renderScenario(name: string, values: Record<string, string | number>): string {
  const fill = (text: string, vars: Record<string, string | number>): string =>
    text
      .replace(/@INC:([^@|]+)(?:\|([^@]*(?:@[A-Z_]+@[^@]*)*))?@/g, (_m, file: string, local?: string) => {
        const extra: Record<string, string> = {};
        for (const pair of local ? local.split(',') : []) {
          const [k, v = ''] = pair.split('=');
          extra[k!] = fill(v, vars);
        }
        return fill(readFileSync(join(SIPP_DIR, file), 'utf8'), { ...vars, ...extra });
      })
      .replace(/@([A-Z_]+)@/g, (_m, key: string) => {
        if (!(key in vars)) throw new Error(`sipp scenario ${name}: no value for @${key}@`);
        return String(vars[key]);
      });
  return fill(readFileSync(join(SIPP_DIR, name), 'utf8'), values);
}

/** How one SIPp process ended: its exit code and the tail of its error file. */
export interface SippResult {
  code: number | null;
  errors: string;
}

/** A running SIPp: `done` settles when it exits; `stop()` ends it (SIGTERM, then SIGKILL). */
export interface SippProcess {
  readonly localPort: number;
  readonly done: Promise<SippResult>;
  stop(): Promise<SippResult>;
}

export interface SippOptions {
  /** Template name in asterisk/pbx/sipp/. */
  scenario: string;
  values: Record<string, string | number>;
  /** Where rendered scenarios, logs and error files go. */
  workDir: string;
  /** SIP port SIPp binds on 127.0.0.1 (a desk phone's registered contact port). */
  localPort: number;
  /** RTP port SIPp binds for its media. */
  mediaPort: number;
  /** Asterisk's SIP address, `127.0.0.1:PORT`. */
  remote: string;
  /** Request-URI user of a client scenario (SIPp's -s): the DID or the dialled number. */
  service?: string;
  /** Calls to make (client) or take (server) before exiting; omitted: run until stopped. */
  calls?: number;
  /** Digest credentials (SIPp's -au/-ap) for [authentication]. */
  auth?: { username: string; password: string };
  /** Seconds after which SIPp gives up on its own (its -timeout), so no test hangs on it. */
  timeoutSec?: number;
  /**
   * Answer OPTIONS, INFO, NOTIFY and UPDATE outside the scenario with 200 (SIPp's -aa): a called
   * party's port gets Asterisk's qualify OPTIONS, which would otherwise count as a failed call.
   */
  autoAnswer?: boolean;
  /** More SIPp arguments, before the remote address (e.g. `-r 5 -l 20`, `-trace_msg`). */
  extraArgs?: string[];
}

let sequence = 0;

/** Starts SIPp on a rendered template. Throws if the `sipp` binary is missing (install.sh installs it). */
export function startSipp(options: SippOptions): SippProcess {
  mkdirSync(options.workDir, { recursive: true });
  const tag = `${options.scenario.replace(/\.xml$/, '')}-${options.localPort}-${++sequence}`;
  const scenarioPath = join(options.workDir, `${tag}.xml`);
  writeFileSync(scenarioPath, renderScenario(options.scenario, options.values));
  const errorFile = join(options.workDir, `${tag}.errors.log`);
  const args = [
    '-sf',
    scenarioPath,
    '-i',
    '127.0.0.1',
    '-p',
    String(options.localPort),
    '-mi',
    '127.0.0.1',
    '-mp',
    String(options.mediaPort),
    '-nostdin',
    // Answer Asterisk's qualify OPTIONS (and NOTIFY/INFO/UPDATE) outside the scenario, as a phone does.
    '-aa',
    '-trace_err',
    '-error_file',
    errorFile,
    '-timeout',
    `${options.timeoutSec ?? 120}s`,
    '-timeout_error',
  ];
  if (options.service) args.push('-s', options.service);
  if (options.calls !== undefined) args.push('-m', String(options.calls));
  if (options.auth) args.push('-au', options.auth.username, '-ap', options.auth.password);
  if (options.autoAnswer) args.push('-aa');
  if (options.extraArgs) args.push(...options.extraArgs);
  args.push(options.remote);
  const child: ChildProcess = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const done = new Promise<SippResult>((resolve) => {
    const finish = (code: number | null) => {
      let errors = stderr;
      try {
        errors += readFileSync(errorFile, 'utf8').slice(-4000);
      } catch {
        // no error file: no errors
      }
      resolve({ code, errors });
    };
    child.once('error', (error) => {
      stderr += String(error);
      finish(null);
    });
    child.once('exit', (code) => finish(code));
  });
  return {
    localPort: options.localPort,
    done,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        const result = await done;
        clearTimeout(timer);
        return result;
      }
      return done;
    },
  };
}

/** Waits for SIPp to end and throws with its errors unless it exited 0 (every call as scripted). */
export async function expectSippSuccess(process: SippProcess, what: string): Promise<void> {
  const result = await process.done;
  if (result.code !== 0) throw new Error(`sipp ${what} exited ${result.code}:\n${result.errors}`);
}
