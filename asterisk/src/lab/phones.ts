import { join } from 'node:path';
import { dtmfPressPcaps } from './dtmf-pcap.ts';
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
  /**
   * The IVR digit to press after `dtmfAfterMs`, or null to press nothing. Several digits are one
   * per menu (`'21'`: 2 in the first menu, then 1 in the next), `menuGapMs` apart.
   */
  digit: string | null;
  dtmfAfterMs?: number;
  /** Between the digits of `digit` (default 2000 ms: the next menu has started its prompt). */
  menuGapMs?: number;
  /** How long the caller stays before hanging up if Asterisk has not hung up first. */
  holdMs: number;
}

/** One inbound call through `server`'s trunk: SIPp from the trunk's address and port. */
export async function inboundCall(
  lab: Lab,
  server: LabServer,
  caller: CallerBehaviour,
): Promise<SippProcess> {
  const press = (path: string) => `<nop><action><exec play_pcap_audio="${path}"/></action></nop>`;
  // Several presses need their own rising RTP timestamps, or Asterisk drops all but the first
  // (dtmf-pcap.ts); one press plays sip-tester's recording as it is.
  const pcaps = !caller.digit
    ? []
    : caller.digit.length === 1
      ? [`${DTMF_PCAP_DIR}/dtmf_2833_${caller.digit}.pcap`]
      : dtmfPressPcaps(join(lab.dir, 'sipp', `dtmf-caller-${caller.cli}`), caller.digit);
  const action =
    pcaps.length > 0
      ? pcaps.map(press).join(`<pause milliseconds="${caller.menuGapMs ?? 2000}"/>`)
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

/** An operator's desk phone that answers and then transfers with DTMF atxfer; times in ms. */
export interface AttendedTransferBehaviour {
  ringMs: number;
  /** Talk with the caller before pressing `*2` (features.conf atxfer). */
  transferAfterMs: number;
  /** The digits dialled after `*2`: an extension, a queue number, an outside number. */
  target: string;
  /** From the last digit to the phone's hang-up, which completes the transfer. */
  consultMs: number;
}

/**
 * Registers `endpoint`'s desk phone and starts it with phone-atxfer.xml: it answers, presses `*2`
 * and the target's digits as RFC 4733 events, consults, and hangs up to complete the transfer
 * (Asterisk's attended transfer feature, features.conf `atxfer`). Stop the process when done.
 */
export async function attendedTransferPhone(
  lab: Lab,
  server: LabServer,
  endpoint: string,
  behaviour: AttendedTransferBehaviour,
): Promise<SippProcess> {
  const localPort = await lab.registerPhone(server, endpoint);
  // A pause between presses, none after the last one: Asterisk dials the target at once and sends
  // its re-INVITEs, which the scenario accepts only outside pauses.
  const play = (path: string) => `  <nop><action><exec play_pcap_audio="${path}"/></action></nop>`;
  const pcaps = dtmfPressPcaps(join(lab.dir, 'sipp', `dtmf-${endpoint}`), `*2${behaviour.target}`);
  const pause = (ms: number) => `  <pause milliseconds="${ms}"/>`;
  const digits = [play(pcaps[0]!), pause(400), play(pcaps[1]!), pause(1900)];
  pcaps.slice(2).forEach((path, i) => {
    if (i > 0) digits.push(pause(400));
    digits.push(play(path));
  });
  return startSipp({
    scenario: 'phone-atxfer.xml',
    values: {
      USER: endpoint,
      RING_MS: behaviour.ringMs,
      XFER_AFTER_MS: behaviour.transferAfterMs,
      CONSULT_MS: behaviour.consultMs,
      DIGITS: digits.join('\n'),
    },
    workDir: join(lab.dir, 'sipp'),
    localPort,
    mediaPort: await lab.port(),
    remote: server.remote,
    timeoutSec: 900,
  });
}

/**
 * Registers `endpoint`'s desk phone with call forwarding on no answer (phone-forward.xml): every
 * call rings `ringMs` ms, then the phone redirects it to `target` with 302 Moved Temporarily.
 */
export async function forwardingPhone(
  lab: Lab,
  server: LabServer,
  endpoint: string,
  behaviour: { ringMs: number; target: string },
): Promise<SippProcess> {
  const localPort = await lab.registerPhone(server, endpoint);
  return startSipp({
    scenario: 'phone-forward.xml',
    values: { USER: endpoint, RING_MS: behaviour.ringMs, TARGET: behaviour.target },
    workDir: join(lab.dir, 'sipp'),
    localPort,
    mediaPort: await lab.port(),
    remote: server.remote,
    timeoutSec: 900,
  });
}
