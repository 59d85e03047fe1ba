import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConf } from '../conf/asterisk-conf.ts';
import type { OperatorAccount } from '../operators/operator-account.ts';
import type { QueueMembership } from './queue-members.ts';

/** The queues queues.conf defines in `etcDir` (sections other than general and templates). */
export function definedQueues(etcDir: string): string[] {
  const text = readFileSync(join(etcDir, 'queues.conf'), 'utf8');
  return parseConf(text, join(etcDir, 'queues.conf'))
    .filter((s) => !s.isTemplate && !s.additive && s.name !== 'general')
    .map((s) => s.name);
}

/**
 * Who answers which queue: every operator in every queue, except the queues `assignments`
 * names (queue → endpoints), which get exactly those. Throws an Error naming an unknown queue
 * or an endpoint that is not among `operators`.
 */
export function queueMemberships(
  queues: readonly string[],
  operators: readonly OperatorAccount[],
  assignments: ReadonlyMap<string, readonly string[]>,
): QueueMembership[] {
  const byEndpoint = new Map(operators.map((op) => [op.endpoint, op]));
  for (const [queue, endpoints] of assignments) {
    if (!queues.includes(queue))
      throw new Error(`queue "${queue}" is not in queues.conf (queues: ${queues.join(', ')})`);
    const unknown = endpoints.filter((e) => !byEndpoint.has(e));
    if (unknown.length > 0)
      throw new Error(`queue ${queue}: no operator with endpoint ${unknown.join(', ')}`);
  }
  return queues.map((queue) => {
    const assigned = assignments.get(queue);
    return { queue, members: assigned ? assigned.map((e) => byEndpoint.get(e)!) : [...operators] };
  });
}
