/**
 * The parts of ARI's WebSocket events (Asterisk 18–22, `GET /ari/events?app=…&subscribeAll=true`)
 * the live call state uses. Shapes follow Asterisk's rest-api `events.json` / `channels.json`
 * models as they appear in the real captures (fixtures/asterisk/scenarios/*\/ari.jsonl). ARI
 * channel objects carry no linkedid in 20.x: `channel.id` is the CEL uniqueid.
 */

export interface AriCallerId {
  name: string;
  number: string;
}

/**
 * Where a channel is in the dialplan: context, exten, priority and the application running
 * (`Queue`, `support,t,,,20`).
 */
export interface AriDialplan {
  context: string;
  exten: string;
  priority: number;
  app_name?: string;
  app_data?: string;
}

/**
 * An ARI channel: `id` is the CEL uniqueid, `name` the channel name (`PJSIP/101-0000002a`), its
 * state, caller and connected line, dialplan position and creation time.
 */
export interface AriChannel {
  id: string;
  name: string;
  /** `Down`, `Rsrvd`, `OffHook`, `Dialing`, `Ring`, `Ringing`, `Up`, `Busy`, … */
  state: string;
  caller?: AriCallerId;
  connected?: AriCallerId;
  dialplan?: AriDialplan;
  /** `2026-11-21T04:21:48.957+0000` */
  creationtime?: string;
}

/** An ARI bridge and the ids of the channels in it. */
export interface AriBridge {
  id: string;
  channels?: string[];
}

/** One event of the stream; fields beyond `type` depend on the type. */
export interface AriEvent {
  type: string;
  timestamp?: string;
  application?: string;
  channel?: AriChannel;
  /** Dial: the calling and the called channel, and the dial status (`` at the start, `ANSWER`, `CANCEL`, …). */
  caller?: AriChannel;
  peer?: AriChannel;
  dialstatus?: string;
  bridge?: AriBridge;
  /** ChannelDestroyed: the hangup cause (16 normal, 26 answered elsewhere, …) and its text. */
  cause?: number;
  cause_txt?: string;
  /** BridgeBlindTransfer: the transferer is `channel`. */
  exten?: string;
  context?: string;
  result?: string;
  transferee?: AriChannel;
  /** BridgeAttendedTransfer. */
  transferer_first_leg?: AriChannel;
  transferer_second_leg?: AriChannel;
  transfer_target?: AriChannel;
  destination_type?: string;
}

/** Parses an ARI `+0000`-style timestamp into ISO 8601 UTC; null when absent or unreadable. */
export function ariTimeToIso(value: string | undefined): string | null {
  if (!value) return null;
  const normalised = value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = Date.parse(normalised);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
