/// <reference lib="dom" />
import { LocalCalendar, statusDayCounts } from '@callcenter/analytics/aggregate';
import { frameFromIPC } from '../src/reports/worker/decode-arrow.ts';

/**
 * The benchmark's Web Worker: receives the Arrow bytes (transferred), decodes them as the reports
 * do (frameFromIPC: lazily, only the columns read), groups by operator × status × local day with the aggregation library the reports
 * use, and sends the result (and the bytes, transferred back for the next run).
 */

interface Job {
  bytes: ArrayBuffer;
  fromMs: number;
  toMs: number;
  zone: string;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Job>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

scope.onmessage = (event) => {
  const { bytes, fromMs, toMs, zone } = event.data;
  const started = performance.now();
  const frame = frameFromIPC(new Uint8Array(bytes), {
    text: ['operator', 'status'],
    numbers: ['started_at'],
  });
  const cube = statusDayCounts(frame, null, new LocalCalendar(fromMs, toMs, zone));
  let cells = 0;
  for (const n of cube.counts) if (n > 0) cells++;
  const workerMs = performance.now() - started;
  scope.postMessage({ bytes, rows: frame.rows, counted: cube.total, cells, workerMs }, [bytes]);
};
