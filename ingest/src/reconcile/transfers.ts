import { extraString } from './cel-extra.ts';
import { parseChannelName } from './channel-name.ts';
import type { GroupTimeline } from './channel-timeline.ts';
import { toIso } from './intervals.ts';
import type { Transfer } from './types.ts';

/**
 * Transfers from CEL BLINDTRANSFER / ATTENDEDTRANSFER (their `extra` names the extension, or the
 * bridges and channels involved). The row's channel is the transferer's.
 */
export function callTransfers(
  serverId: string,
  group: GroupTimeline,
  isOperator: (serverId: string, endpoint: string) => boolean,
): Transfer[] {
  const operatorOf = (channelName: string): string | null => {
    const { endpoint, isLocal } = parseChannelName(channelName);
    return !isLocal && isOperator(serverId, endpoint) ? endpoint : null;
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
      const targetName = extraString(event.extra, 'transfer_target_channel_name');
      const consult = group.channels.get(extraString(event.extra, 'channel2_uniqueid'));
      const to =
        (targetName && operatorOf(targetName)) ||
        consult?.startExten ||
        (targetName ? parseChannelName(targetName).endpoint : '') ||
        extraString(event.extra, 'app') ||
        null;
      return { kind: 'attended', from_operator: from, to, at: toIso(event.at) };
    });
}
