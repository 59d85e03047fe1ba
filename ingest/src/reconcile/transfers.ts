import { extraString } from './cel-extra.ts';
import { parseChannelName } from './channel-name.ts';
import type { ChannelTimeline, GroupTimeline } from './channel-timeline.ts';
import { toIso } from './intervals.ts';
import type { Transfer } from './types.ts';

/** Dialplan placeholders that name no target: `s` (start), `h`, `i`, `t`, empty. */
const NO_TARGET = new Set(['', 's', 'h', 'i', 't']);
const realTarget = (value: string | undefined | null): string | null =>
  value && !NO_TARGET.has(value) ? value : null;

/**
 * Transfers from CEL BLINDTRANSFER / ATTENDEDTRANSFER (their `extra` names the extension, or the
 * bridges and channels involved). The row's channel is the transferer's. The target of an attended
 * transfer is what a person would name — the operator or the queue reached, else the number dialled —
 * never a Local channel, a context or the dialplan's `s` (docs/reconciliation.md#transfers).
 */
export function callTransfers(
  serverId: string,
  group: GroupTimeline,
  isOperator: (serverId: string, endpoint: string) => boolean,
): Transfer[] {
  const operatorOf = (channelName: string): string | null => {
    const { endpoint, isLocal, isSystem } = parseChannelName(channelName);
    return !isLocal && !isSystem && isOperator(serverId, endpoint) ? endpoint : null;
  };
  return [...group.transfers]
    .sort((a, b) => a.rowId - b.rowId)
    .map((event): Transfer => {
      const from = operatorOf(event.chanName);
      if (event.kind === 'blind') {
        return {
          kind: 'blind',
          from_operator: from,
          to: extraString(event.extra, 'extension') || null,
          at: toIso(event.at),
        };
      }
      const consult = group.channels.get(extraString(event.extra, 'channel2_uniqueid'));
      // Asterisk writes "N/A" for the target channel when it links the two bridges without one
      // (seen on 22 when the transferer completes a DTMF atxfer into a Local channel): the target is
      // then the other member of the consultation bridge (bridge2_id) — docs/reconciliation.md#transfers.
      const target =
        group.channels.get(known(extraString(event.extra, 'transfer_target_channel_uniqueid'))) ??
        consultationPartner(group, known(extraString(event.extra, 'bridge2_id')), consult, event.chanName);
      const targetName = target?.name ?? known(extraString(event.extra, 'transfer_target_channel_name'));
      const to =
        (targetName && operatorOf(targetName)) ||
        (target?.parsed.isLocal ? localTarget(target, group, operatorOf) : null) ||
        (consult && consult.name !== event.chanName ? realTarget(consult.startExten) : null) ||
        (targetName && !parseChannelName(targetName).isLocal
          ? realTarget(parseChannelName(targetName).endpoint)
          : null) ||
        realTarget(extraString(event.extra, 'app')) ||
        null;
      return { kind: 'attended', from_operator: from, to, at: toIso(event.at) };
    });
}

/** `N/A` (Asterisk's "no such channel" in ATTENDEDTRANSFER's extra) as empty. */
const known = (value: string): string => (value === 'N/A' ? '' : value);

/**
 * The channel the transferer consulted in bridge `bridgeId` (ATTENDEDTRANSFER's `bridge2_id`): a
 * member of that bridge other than the transferer's own consultation channel; undefined without one.
 */
function consultationPartner(
  group: GroupTimeline,
  bridgeId: string,
  consult: ChannelTimeline | undefined,
  transfererName: string,
): ChannelTimeline | undefined {
  if (!bridgeId) return undefined;
  return [...group.channels.values()].find(
    (c) => c !== consult && c.name !== transfererName && c.bridges.some((b) => b.bridgeId === bridgeId),
  );
}

/**
 * The target behind a Local channel half (`Local/102@operators-…;1`, as Asterisk's attended
 * transfer feature dials the digits pressed: bridge_basic's "dial the transfer target through a
 * Local channel"): the queue its other half (;2) entered, else the operator that half was bridged
 * with or dialled, else the extension the Local channel was created for (`102`, `5003`).
 */
function localTarget(
  half: ChannelTimeline,
  group: GroupTimeline,
  operatorOf: (channelName: string) => string | null,
): string | null {
  const halves = [...group.channels.values()].filter((c) => c.parsed.localPair === half.parsed.localPair);
  for (const h of halves) {
    const queue = h.apps.find((a) => a.name === 'Queue');
    if (queue) {
      const name = queue.data.split(',')[0]!.trim();
      if (name) return name;
    }
  }
  const bridgeIds = new Set(halves.flatMap((h) => h.bridges.map((b) => b.bridgeId)).filter(Boolean));
  for (const other of group.channels.values()) {
    if (halves.includes(other)) continue;
    if (!other.bridges.some((b) => bridgeIds.has(b.bridgeId))) continue;
    const operator = operatorOf(other.name);
    if (operator && !halves.some((h) => h === other)) {
      // Only an operator bridged with the far half (;2) is the target: the near half (;1) is
      // bridged with the transferer and then the transferee.
      const far = halves.filter((h) => h !== half);
      if (far.some((h) => h.bridges.some((b) => other.bridges.some((o) => o.bridgeId === b.bridgeId))))
        return operator;
    }
  }
  return realTarget(half.parsed.endpoint);
}
