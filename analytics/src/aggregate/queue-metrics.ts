import { SERVICE_LEVEL_DEFAULT_SEC, SHORT_ABANDON_SEC } from './metric-defaults.ts';
/**
 * Queue metrics, defined once for every screen and report (docs/metrics.md, sql/ANALYSTS.md
 * "Definitions"):
 * - offered: inbound calls that entered the queue; answered / abandoned / missed among them;
 * - short abandons: abandoned with a queue wait under the threshold (default 5 s), reported apart;
 * - answer rate = answered / offered; abandon rate = abandoned / offered;
 * - service level = answered within T seconds of queue entry / (offered − short abandons)
 *   (Asterisk's own queues.conf figure divides by answered instead: this is not that one);
 * - ASA = mean queue wait of answered calls; AHT = mean talk + hold of answered calls (seconds).
 * A NULL queue wait (the call never reached a queue) is, as in SQL, neither short nor within T
 * and not part of the ASA. Pure and browser-safe: the web worker aggregates facts with the same
 * code ({@link QueueTally} on typed arrays), the CLI with {@link queueMetrics} on rows.
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
  /** Answered within T seconds of queue entry. */
  answeredInSl: number;
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

/** How an offered call ended, as {@link QueueTally.add} takes it (index into a status lookup). */
export const CallEnd = { other: 0, answered: 1, abandoned: 2, missed: 3 } as const;
export type CallEnd = (typeof CallEnd)[keyof typeof CallEnd];

/** The {@link CallEnd} of a call status (`answered`, `abandoned`, `missed`; anything else: other). */
export function callEndOf(status: string): CallEnd {
  return status === 'answered'
    ? CallEnd.answered
    : status === 'abandoned'
      ? CallEnd.abandoned
      : status === 'missed'
        ? CallEnd.missed
        : CallEnd.other;
}

/** Pre-counted figures (a rollup row): added as they are by {@link QueueTally.addCounts}. */
export interface QueueCounts {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  missed: number;
  answeredInSl: number;
  /** Sum of queue waits of answered calls, seconds, over `waitCount` calls (default: answered). */
  waitSum: number;
  waitCount?: number;
  /** Sum of talk + hold of answered calls, seconds. */
  handleSum: number;
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? numerator / denominator : null;

/** Running counts of offered calls; {@link metrics} turns them into the standard figures. */
export class QueueTally {
  offered = 0;
  answered = 0;
  abandoned = 0;
  shortAbandoned = 0;
  missed = 0;
  answeredInSl = 0;
  waitSum = 0;
  waitCount = 0;
  handleSum = 0;
  readonly serviceLevelSec: number;
  readonly shortAbandonSec: number;

  constructor(options: QueueMetricOptions = {}) {
    this.serviceLevelSec = options.serviceLevelSec ?? SERVICE_LEVEL_DEFAULT_SEC;
    this.shortAbandonSec = options.shortAbandonSec ?? SHORT_ABANDON_SEC;
  }

  /**
   * One offered call; `queueWaitSec` NaN = NULL (never queued); seconds. `serviceLevelSec`
   * overrides T for this call (a tally over several queues, each with its own T).
   */
  add(
    end: CallEnd,
    queueWaitSec: number,
    talkSec: number,
    holdSec: number,
    serviceLevelSec = this.serviceLevelSec,
  ): void {
    this.offered++;
    if (end === CallEnd.answered) {
      this.answered++;
      this.handleSum += talkSec + holdSec;
      if (!Number.isNaN(queueWaitSec)) {
        this.waitSum += queueWaitSec;
        this.waitCount++;
        if (queueWaitSec <= serviceLevelSec) this.answeredInSl++;
      }
    } else if (end === CallEnd.abandoned) {
      this.abandoned++;
      if (queueWaitSec < this.shortAbandonSec) this.shortAbandoned++;
    } else if (end === CallEnd.missed) this.missed++;
  }

  /** Figures counted elsewhere (a rollup bucket). */
  addCounts(counts: QueueCounts): void {
    this.offered += counts.offered;
    this.answered += counts.answered;
    this.abandoned += counts.abandoned;
    this.shortAbandoned += counts.shortAbandoned;
    this.missed += counts.missed;
    this.answeredInSl += counts.answeredInSl;
    this.waitSum += counts.waitSum;
    this.waitCount += counts.waitCount ?? counts.answered;
    this.handleSum += counts.handleSum;
  }

  /** The standard figures; ratios and means are null (not NaN) without a denominator. */
  metrics(): QueueMetrics {
    return {
      offered: this.offered,
      answered: this.answered,
      abandoned: this.abandoned,
      shortAbandoned: this.shortAbandoned,
      missed: this.missed,
      answeredInSl: this.answeredInSl,
      answerRate: ratio(this.answered, this.offered),
      abandonRate: ratio(this.abandoned, this.offered),
      serviceLevel: ratio(this.answeredInSl, this.offered - this.shortAbandoned),
      asa: this.waitCount > 0 ? this.waitSum / this.waitCount : null,
      aht: this.answered > 0 ? this.handleSum / this.answered : null,
    };
  }
}

/** The standard figures of a list of offered calls (row objects). */
export function queueMetrics(calls: readonly QueueCall[], options: QueueMetricOptions = {}): QueueMetrics {
  const tally = new QueueTally(options);
  for (const call of calls) {
    tally.add(callEndOf(call.status), call.queue_wait_sec ?? Number.NaN, call.talk_sec, call.hold_sec);
  }
  return tally.metrics();
}
