import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { OperatorAccount, OperatorPhone } from './operator-account.ts';
import { newSipSecret } from './sip-secret.ts';

/**
 * Operators given on the command line (`--operators 101,102`, no database): their secrets are
 * kept in `operator-secrets.json` beside the generated files (mode 0600), so a re-render keeps
 * the phones working; new endpoints get new secrets. The file maps endpoint → secret.
 */

export const SECRETS_FILE_NAME = 'operator-secrets.json';

const secretsSchema = z.record(z.string(), z.string().min(12));

/** One `--operators` entry: `101` (the web app's softphone) or `102:sip` (a desk phone). */
export interface ListedOperator {
  endpoint: string;
  phone: OperatorPhone;
}

/** Operators for `listed` with secrets from `secretsPath` (created or extended as needed). */
export function operatorsFromList(
  listed: readonly ListedOperator[],
  secretsPath: string,
): { accounts: OperatorAccount[]; newSecrets: number; secrets: Record<string, string> } {
  let known: Record<string, string> = {};
  if (existsSync(secretsPath)) {
    const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(secretsPath, 'utf8')));
    if (!parsed.success) throw new Error(`${secretsPath}: not an endpoint → secret map`);
    known = parsed.data;
  }
  let newSecrets = 0;
  const secrets = { ...known };
  const accounts = listed.map(({ endpoint, phone }) => {
    if (!secrets[endpoint]) {
      secrets[endpoint] = newSipSecret();
      newSecrets++;
    }
    return { endpoint, name: `Operator ${endpoint}`, secret: secrets[endpoint]!, phone };
  });
  return { accounts, newSecrets, secrets };
}
