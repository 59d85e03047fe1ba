import type pg from 'pg';
import type { OperatorAccount, OperatorPhone } from './operator-account.ts';
import { newSipSecret } from './sip-secret.ts';

/** Operators read from app.operators, and how many got a new SIP secret now. */
export interface ProvisionedOperators {
  accounts: OperatorAccount[];
  newSecrets: number;
}

/**
 * The active operators of server `serverId` (app.operators, ordered by endpoint), each with a SIP
 * secret: an operator without one gets a new strong secret, stored in app.operators.sip_secret so
 * the API can hand it to the operator's browser softphone. The update only fills a NULL, so two
 * renders at once agree on one secret (the second re-reads the first one's).
 */
export async function provisionOperators(
  client: pg.ClientBase,
  serverId: string,
): Promise<ProvisionedOperators> {
  const rows = await client.query<{
    id: string;
    endpoint: string;
    name: string;
    sip_secret: string | null;
    phone: OperatorPhone;
  }>(
    `SELECT id, endpoint, name, sip_secret, phone FROM app.operators
      WHERE server_id = $1 AND active ORDER BY endpoint`,
    [serverId],
  );
  const accounts: OperatorAccount[] = [];
  let newSecrets = 0;
  for (const row of rows.rows) {
    let secret = row.sip_secret;
    if (!secret) {
      const updated = await client.query<{ sip_secret: string }>(
        `UPDATE app.operators SET sip_secret = $2 WHERE id = $1 AND sip_secret IS NULL RETURNING sip_secret`,
        [row.id, newSipSecret()],
      );
      if (updated.rows[0]) {
        secret = updated.rows[0].sip_secret;
        newSecrets++;
      } else {
        const current = await client.query<{ sip_secret: string }>(
          'SELECT sip_secret FROM app.operators WHERE id = $1',
          [row.id],
        );
        secret = current.rows[0]!.sip_secret;
      }
    }
    accounts.push({ endpoint: row.endpoint, name: row.name, secret, phone: row.phone });
  }
  return { accounts, newSecrets };
}
