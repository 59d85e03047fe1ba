import { extraString, parseCelExtra } from './cel-extra.ts';
import { conferenceLinks } from './conferences.ts';
import type { CelRow } from './types.ts';

/**
 * Groups CEL rows into calls: one group per linkedid, except that linkedids sharing a channel are
 * one call — in an attended transfer the target's channel is born under the consultation linkedid
 * and moves to the caller's (fixtures README, scenario 10). Transfer events also name the channels
 * they join, and calls that met in one conference room are one call (conferences.ts). Groups never span servers: numbers and ids repeat across Asterisk servers (docs/reconciliation.md#call-grouping).
 */
export interface RowGroup {
  serverId: string;
  linkedIds: string[];
  /** Rows sorted by `cel.id`. */
  rows: CelRow[];
}

/** Union-find over linkedids of one server. */
class LinkedIdSets {
  private readonly parent = new Map<string, string>();
  find(linkedId: string): string {
    let root = linkedId;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    let node = linkedId;
    while (node !== root) {
      const next = this.parent.get(node)!;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }
  add(linkedId: string): void {
    if (!this.parent.has(linkedId)) this.parent.set(linkedId, linkedId);
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

const TRANSFER_CHANNELS = [
  'channel2_uniqueid',
  'transferee_channel_uniqueid',
  'transfer_target_channel_uniqueid',
];

function groupServerRows(serverId: string, rows: readonly CelRow[]): RowGroup[] {
  const sets = new LinkedIdSets();
  /** uniqueid → the first linkedid it was seen under. */
  const channelLinkedId = new Map<string, string>();
  const transferLinks: [string, string][] = [];
  for (const row of rows) {
    sets.add(row.linkedId);
    const seen = channelLinkedId.get(row.uniqueId);
    if (seen === undefined) channelLinkedId.set(row.uniqueId, row.linkedId);
    else if (seen !== row.linkedId) sets.union(seen, row.linkedId);
    if (row.eventType === 'ATTENDEDTRANSFER' || row.eventType === 'BLINDTRANSFER') {
      const extra = parseCelExtra(row);
      for (const key of TRANSFER_CHANNELS) {
        const uniqueId = extraString(extra, key);
        if (uniqueId) transferLinks.push([row.linkedId, uniqueId]);
      }
    }
  }
  for (const [linkedId, uniqueId] of transferLinks) {
    const other = channelLinkedId.get(uniqueId);
    if (other !== undefined) sets.union(linkedId, other);
  }
  for (const [a, b] of conferenceLinks(rows)) sets.union(a, b);
  const groups = new Map<string, RowGroup>();
  for (const row of rows) {
    const root = sets.find(row.linkedId);
    let group = groups.get(root);
    if (!group) {
      group = { serverId, linkedIds: [], rows: [] };
      groups.set(root, group);
    }
    group.rows.push(row);
    if (
      group.linkedIds[group.linkedIds.length - 1] !== row.linkedId &&
      !group.linkedIds.includes(row.linkedId)
    ) {
      group.linkedIds.push(row.linkedId);
    }
  }
  for (const group of groups.values()) group.rows.sort((a, b) => a.id - b.id);
  return [...groups.values()];
}

/** Groups rows (any order, any servers) into calls. */
export function groupCallRows(rows: readonly CelRow[]): RowGroup[] {
  const byServer = new Map<string, CelRow[]>();
  for (const row of rows) {
    const list = byServer.get(row.serverId);
    if (list) list.push(row);
    else byServer.set(row.serverId, [row]);
  }
  return [...byServer].flatMap(([serverId, serverRows]) => groupServerRows(serverId, serverRows));
}
