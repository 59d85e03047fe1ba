import { join } from 'node:path';
import type { Lab, LabServer } from './lab.ts';
import { DTMF_PCAP_DIR, type SippProcess, startSipp } from './sipp.ts';

/**
 * The lab's SIP peers, as SIPp processes: operators' desk phones (registered, then answering,
 * refusing, holding or transferring as a scenario says), callers on the provider's side, and the
 * provider answering the trunk's outbound calls.
 */

/** Scenario values of a desk phone; times in milliseconds. */
export interface PhoneBehaviour {
  scenario:
    | 'phone-answer.xml'
    | 'phone-answer-reinvite.xml'
    | 'phone-busy.xml'
    | 'phone-hold.xml'
    | 'phone-refer.xml';
  ringMs?: number;
  talkMs?: number;
  holdAfterMs?: number;
  holdMs?: number;
  referAfterMs?: number;
  target?: string;
}

/** A phone that never answers: it rings until Asterisk cancels the ring. */
export const RINGS_UNANSWERED: PhoneBehaviour = { scenario: 'phone-answer.xml', ringMs: 600_000 };

/**
 * Registers `endpoint`'s desk phone on `server` and starts it with `behaviour` for every call it
 * gets, until stopped (a phone takes no call count: Asterisk's qualify OPTIONS are dialogs too,
 * answered outside the scenario). The returned process is the phone; stop it when done. What
 * the phone did is asserted on the call card and in Asterisk, not on SIPp's exit code.
 */
export async function deskPhone(
  lab: Lab,
  server: LabServer,
  endpoint: string,
  behaviour: PhoneBehaviour,
): Promise<SippProcess> {
  const localPort = await lab.registerPhone(server, endpoint);
  return startSipp({
    scenario: behaviour.scenario,
    values: {
      USER: endpoint,
      RING_MS: behaviour.ringMs ?? 1000,
      TALK_MS: behaviour.talkMs ?? 5000,
      HOLD_AFTER_MS: behaviour.holdAfterMs ?? 2000,
      HOLD_MS: behaviour.holdMs ?? 2000,
      REFER_AFTER_MS: behaviour.referAfterMs ?? 2000,
      TARGET: behaviour.target ?? '',
    },
    workDir: join(lab.dir, 'sipp'),
    localPort,
    mediaPort: await lab.port(),
    remote: server.remote,
    timeoutSec: 900,
  });
}

/** What a caller on the provider's side does; times in milliseconds. */
export interface CallerBehaviour {
  /** The caller's number (From user). */
  cli: string;
  /** The DID dialled (Request-URI user). */
  did: string;
  /** The IVR digit to press after `dtmfAfterMs`, or null to press nothing. */
  digit: string | null;
  dtmfAfterMs?: number;
  /** How long the caller stays before hanging up if Asterisk has not hung up first. */
  holdMs: number;
}

/** One inbound call through `server`'s trunk: SIPp from the trunk's address and port. */
export async function inboundCall(
  lab: Lab,
  server: LabServer,
  caller: CallerBehaviour,
): Promise<SippProcess> {
  const action = caller.digit
    ? `<nop><action><exec play_pcap_audio="${DTMF_PCAP_DIR}/dtmf_2833_${caller.digit}.pcap"/></action></nop>`
    : '<nop/>';
  return startSipp({
    scenario: 'caller.xml',
    values: {
      CLI: caller.cli,
      DTMF_AFTER_MS: caller.dtmfAfterMs ?? 1500,
      DTMF_ACTION: action,
      HOLD_MS: caller.holdMs,
    },
    workDir: join(lab.dir, 'sipp'),
    // The provider's address: TRUNK_MATCH names this port, so the call is the trunk's.
    localPort: server.trunkPort,
    mediaPort: await lab.port(),
    remote: server.remote,
    service: caller.did,
    calls: 1,
    timeoutSec: 170,
  });
}
