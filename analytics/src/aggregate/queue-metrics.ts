/**
 * Queue metrics, defined once for every screen and report (DESIGN.md "Metrics"):
 * - offered: inbound calls that entered the queue; answered / abandoned / missed among them;
 * - short abandons: abandoned with a queue wait under the threshold, reported apart;
 * - answer rate = answered / offered; abandon rate = abandoned / offered;
 * - service level = answered within T seconds of queue entry / (offered − short abandons)
 *   (Asterisk's own queues.conf figure divides by answered instead: this is not that one);
 * - ASA = mean queue wait of answered calls; AHT = mean talk + hold of answered calls (seconds).
 * Pure and browser-safe: the web worker aggregates facts with the same code.
 */

export interface QueueCall {
  status: string;
  queue_wait_sec: number | null;
  talk_sec: number;
  hold_sec: number;
}

export interface QueueMetrics {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  missed: number;
  answerRate: number | null;
  abandonRate: number | null;
  serviceLevel: number | null;
  /** Seconds. */
  asa: number | null;
  /** Seconds. */
  aht: number | null;
}

export interface QueueMetricOptions {
  /** T of the service level, seconds (per queue; default 20). */
  serviceLevelSec?: number;
  /** Abandons with a queue wait under this many seconds are short abandons (default 5). */
  shortAbandonSec?: number;
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? numerator / denominator : null;

export function queueMetrics(calls: readonly QueueCall[], options: QueueMetricOptions = {}): QueueMetrics {
  const t = options.serviceLevelSec ?? 20;
  const short = options.shortAbandonSec ?? 5;
  let answered = 0;
  let abandoned = 0;
  let shortAbandoned = 0;
  let missed = 0;
  let withinT = 0;
  let waitSum = 0;
  let handleSum = 0;
  for (const call of calls) {
    const wait = call.queue_wait_sec ?? 0;
    if (call.status === 'answered') {
      answered++;
      waitSum += wait;
      handleSum += call.talk_sec + call.hold_sec;
      if (wait <= t) withinT++;
    } else if (call.status === 'abandoned') {
      abandoned++;
      if (wait < short) shortAbandoned++;
    } else if (call.status === 'missed') missed++;
  }
  const offered = calls.length;
  return {
    offered,
    answered,
    abandoned,
    shortAbandoned,
    missed,
    answerRate: ratio(answered, offered),
    abandonRate: ratio(abandoned, offered),
    serviceLevel: ratio(withinT, offered - shortAbandoned),
    asa: answered > 0 ? waitSum / answered : null,
    aht: answered > 0 ? handleSum / answered : null,
  };
}
