import type { ChannelTimeline, GroupTimeline } from './channel-timeline-types.ts';

/**
 * The channels that picked up another's ringing leg (the PICKUP row's `pickup_channel_uniqueid`,
 * or `pickup_channel` by name where the uniqueid is not written), each with the leg it took.
 * Asterisk's pickup moves the picker's channel into the picked leg's place in the Dial or Queue
 * (pickup.c `ast_do_pickup`), so the picker is the callee that answered
 * (docs/reconciliation.md#attempts).
 */
export function pickupChannels(group: GroupTimeline): Map<ChannelTimeline, ChannelTimeline> {
  const pickers = new Map<ChannelTimeline, ChannelTimeline>();
  for (const picked of group.channels.values()) {
    const by = picked.pickedUpBy;
    if (!by) continue;
    const picker =
      (by.uniqueId ? group.channels.get(by.uniqueId) : undefined) ??
      [...group.channels.values()].find((c) => c !== picked && by.channel !== '' && c.name === by.channel);
    if (picker) pickers.set(picker, picked);
  }
  return pickers;
}
