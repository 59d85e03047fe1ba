import { parseChannelName } from './channel-name.ts';
import type { Call, CdrRow } from './types.ts';

/**
 * CDR cross-checks the CEL-derived call and fills what CEL lacks. CDR alone cannot tell the story
 * (docs/reconciliation.md#cdr): `disposition` describes the caller's leg, so an IVR-answered call is ANSWERED even
 * when nobody picked up (fixtures README, scenario 14). Only rows whose `dstchannel` is a real
 * party say that a person answered.
 */

const RECORDING_FILE = /\.(wav|WAV|wav49|gsm|mp3|ogg|opus|sln\d*)$/;

/**
 * Does this CDR say a party answered? Only a row whose `dstchannel` is a real channel (an operator's
 * phone, or an external party: a forward, an outbound callee) counts; IVR and voicemail rows have
 * no dstchannel, Local channels are plumbing.
 */
function cdrPartyAnswered(row: CdrRow): boolean {
  if (row.disposition !== 'ANSWERED' || !row.dstChannel) return false;
  const dst = parseChannelName(row.dstChannel);
  return !dst.isLocal && !dst.isSystem;
}

/** Returns the call with CDR-filled fields and cross-check flags (the input is not modified). */
export function crossCheckWithCdr(call: Call, cdrRows: readonly CdrRow[]): Call {
  if (cdrRows.length === 0) return call;
  const rows = [...cdrRows].sort((a, b) => a.id - b.id);
  const flags = new Set(call.flags);
  const recording = rows.map((r) => r.userField.trim()).find((f) => RECORDING_FILE.test(f)) ?? null;
  const cdrAnswered = rows.some(cdrPartyAnswered);
  // A service call (VoiceMailMain, Echo) is answered by Asterisk, not a person: CDR agrees when its
  // row has no dstchannel (docs/reconciliation.md#service-calls).
  const celPartyAnswered = call.status === 'answered' && call.ended_at_stage !== 'service';
  if (cdrAnswered !== celPartyAnswered) flags.add('cdr_disposition_mismatch');
  return {
    ...call,
    src_number: call.src_number ?? (rows[0]!.src || null),
    dst_number: call.dst_number ?? (rows.find((r) => r.dst && r.dst !== 's')?.dst || null),
    recording_path: call.recording_path ?? recording,
    recordings: call.recordings.length > 0 || !recording ? call.recordings : [recording],
    flags: [...flags].sort(),
  };
}
