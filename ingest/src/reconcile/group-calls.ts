import { extraString, parseCelExtra } from './cel-extra.ts';
import type { CelRow } from './types.ts';

/**
 * Groups CEL rows into calls: one group per linkedid, except that linkedids sharing a channel are
 * one call — in an attended transfer the target's channel is born under the consultation linkedid
 * and moves to the caller's (fixtures README, scenario 10). Transfer events also name the channels
 * they join. Keys include the server: numbers and ids repeat across Asterisk servers (seed 003).
 */
export interface RowGroup {
  serverId: string;
  linkedIds: string[];
  /** Rows sorted by `cel.id`. */
  rows: CelRow[];
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(key: string): string {
    let root = key;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    let node = key;
    while (node !== root) {
      const next = this.parent.get(node) ?? root;
      this.parent.set(node, root);
      node = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

const SEP = '\u0000';
const linkedKey = (row: CelRow): string => row.serverId + SEP + row.linkedId;
const channelKey = (serverId: string, uniqueId: string): string => serverId + SEP + 'u' + SEP + uniqueId;

/** Groups rows (any order, any servers) into calls. */
export function groupCallRows(rows: readonly CelRow[]): RowGroup[] {
  const sets = new UnionFind();
  for (const row of rows) {
    sets.union(linkedKey(row), channelKey(row.serverId, row.uniqueId));
    if (row.eventType === 'ATTENDEDTRANSFER' || row.eventType === 'BLINDTRANSFER') {
      const extra = parseCelExtra(row);
      for (const key of [
        'channel2_uniqueid',
        'transferee_channel_uniqueid',
        'transfer_target_channel_uniqueid',
      ]) {
        const uniqueId = extraString(extra, key);
        if (uniqueId) sets.union(linkedKey(row), channelKey(row.serverId, uniqueId));
      }
    }
  }
  const groups = new Map<string, RowGroup>();
  for (const row of rows) {
    const root = sets.find(linkedKey(row));
    let group = groups.get(root);
    if (!group) {
      group = { serverId: row.serverId, linkedIds: [], rows: [] };
      groups.set(root, group);
    }
    group.rows.push(row);
    if (!group.linkedIds.includes(row.linkedId)) group.linkedIds.push(row.linkedId);
  }
  for (const group of groups.values()) group.rows.sort((a, b) => a.id - b.id);
  return [...groups.values()];
}
