import { parseChannelName } from './channel-name.ts';
import type { Call, CdrRow, OperatorDirectory } from './types.ts';

/**
 * CDR cross-checks the CEL-derived call and fills what CEL lacks. CDR alone cannot tell the story
 * (seed 003): `disposition` describes the caller's leg, so an IVR-answered call is ANSWERED even
 * when nobody picked up (fixtures README, scenario 14). Only rows whose `dstchannel` is a real
 * party say that a person answered.
 */

const RECORDING_FILE = /\.(wav|WAV|wav49|gsm|mp3|ogg|opus|sln\d*)$/;

/** Does this CDR say a person (operator, or external party of an outbound call) answered? */
function cdrPartyAnswered(row: CdrRow, isOperator: OperatorDirectory): boolean {
  if (row.disposition !== 'ANSWERED' || !row.dstChannel) return false;
  const dst = parseChannelName(row.dstChannel);
  if (dst.isLocal || dst.isSystem) return false;
  const src = parseChannelName(row.channel);
  return isOperator(row.serverId, dst.endpoint) || isOperator(row.serverId, src.endpoint);
}

/** Returns the call with CDR-filled fields and cross-check flags (the input is not modified). */
export function crossCheckWithCdr(
  call: Call,
  cdrRows: readonly CdrRow[],
  isOperator: OperatorDirectory,
): Call {
  if (cdrRows.length === 0) return call;
  const rows = [...cdrRows].sort((a, b) => a.id - b.id);
  const flags = new Set(call.flags);
  const recording = rows.map((r) => r.userField.trim()).find((f) => RECORDING_FILE.test(f)) ?? null;
  const cdrAnswered = rows.some((r) => cdrPartyAnswered(r, isOperator));
  if (cdrAnswered !== (call.status === 'answered')) flags.add('cdr_disposition_mismatch');
  return {
    ...call,
    src_number: call.src_number ?? (rows[0]!.src || null),
    dst_number: call.dst_number ?? (rows.find((r) => r.dst && r.dst !== 's')?.dst || null),
    recording_path: call.recording_path ?? recording,
    recordings: call.recordings.length > 0 || !recording ? call.recordings : [recording],
    flags: [...flags].sort(),
  };
}
