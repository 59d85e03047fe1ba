import { expect } from 'vitest';
import type { Call } from '../../src/reconcile/types.ts';
import type { ExpectedCall } from './expected/expected-call.ts';

/**
 * One reconciled call against its hand-written expectation, field by field: identifiers and
 * classification exactly, times and seconds within 0.05 s, attempts, transfers and segments in
 * order. Shared by the scenario tests of the Asterisk 20 and Asterisk 22 captures.
 */

const SECONDS_TOLERANCE = 0.05;
const expectSeconds = (actual: number | null, expected: number | null, label: string) => {
  if (expected === null) return expect(actual, label).toBeNull();
  expect(actual, label).not.toBeNull();
  expect(Math.abs(actual! - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    SECONDS_TOLERANCE,
  );
};
const expectTime = (actual: string | null, expected: string | null, label: string) => {
  if (expected === null) return expect(actual, label).toBeNull();
  expect(actual, label).not.toBeNull();
  const diff = Math.abs(Date.parse(actual!) - Date.parse(expected));
  expect(diff, `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(SECONDS_TOLERANCE * 1000);
};

export function assertCall(actual: Call, want: ExpectedCall) {
  const id = `call ${want.linkedid}`;
  for (const field of [
    'linkedid',
    'direction',
    'status',
    'src_number',
    'dst_number',
    'did',
    'queue',
    'operator',
    'recording_path',
  ] as const) {
    expect(actual[field], `${id} ${field}`).toEqual(want[field]);
  }
  if (want.ended_at_stage !== undefined)
    expect(actual.ended_at_stage, `${id} ended_at_stage`).toBe(want.ended_at_stage);
  if (want.ivr_choice !== undefined) expect(actual.ivr_choice, `${id} ivr_choice`).toBe(want.ivr_choice);
  for (const field of ['started_at', 'answered_at', 'ended_at'] as const)
    expectTime(actual[field], want[field], `${id} ${field}`);
  for (const field of ['duration_sec', 'wait_sec', 'queue_wait_sec', 'talk_sec', 'hold_sec'] as const) {
    expectSeconds(actual[field], want[field], `${id} ${field}`);
  }
  expect(
    actual.attempts.map((a) => [a.operator, a.queue, a.outcome]),
    `${id} attempts`,
  ).toEqual(want.attempts.map((a) => [a.operator, a.queue, a.outcome]));
  want.attempts.forEach((a, i) => {
    expectTime(actual.attempts[i]!.rang_at, a.rang_at, `${id} attempt ${i} rang_at`);
    expectSeconds(actual.attempts[i]!.ring_sec, a.ring_sec, `${id} attempt ${i} ring_sec`);
  });
  expect(
    actual.transfers.map((t) => [t.kind, t.from_operator, t.to]),
    `${id} transfers`,
  ).toEqual(want.transfers.map((t) => [t.kind, t.from_operator, t.to]));
  want.transfers.forEach((t, i) => {
    expectTime(actual.transfers[i]!.at, t.at, `${id} transfer ${i} at`);
  });
  expect(
    actual.segments.map((s) => s.operator),
    `${id} segments`,
  ).toEqual(want.segments.map((s) => s.operator));
  want.segments.forEach((s, i) => {
    expectSeconds(actual.segments[i]!.talk_sec, s.talk_sec, `${id} segment ${i} talk_sec`);
    expectSeconds(actual.segments[i]!.hold_sec, s.hold_sec, `${id} segment ${i} hold_sec`);
  });
}
