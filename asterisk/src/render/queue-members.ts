import type { OperatorAccount } from '../operators/operator-account.ts';
import { displayName, generatedFile, section } from './conf-text.ts';

/** A queue of queues.conf and the operators who answer it. */
export interface QueueMembership {
  queue: string;
  members: readonly OperatorAccount[];
}

/**
 * queues_members.conf: static members added to the queues of queues.conf with `[queue](+)`.
 * Interface and state interface are `PJSIP/<endpoint>` (the interface the app's AMI QueuePause
 * names); the member name is the operator's name (queue_log agent, log_membername_as_agent).
 */
export function queueMembersFile(memberships: readonly QueueMembership[]): string {
  const sections = memberships.map(({ queue, members }) =>
    section(
      queue,
      '+',
      members.map(
        (op) => `member => PJSIP/${op.endpoint},0,${displayName(op.name, op.endpoint)},PJSIP/${op.endpoint}`,
      ),
    ),
  );
  return generatedFile('Queue members', sections);
}
