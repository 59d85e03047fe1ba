/// <reference lib="dom" />
import { LocalCalendar } from '@callcenter/analytics/aggregate';

/**
 * The benchmark's page: fetches the same fact rows as Arrow and as JSON Lines (network not timed),
 * then (1) Arrow: bytes transferred to the worker → decoded and grouped by operator × status × day
 * there → result back, timed from postMessage to the result on this page, while a
 * PerformanceObserver records this thread's long tasks; (2) JSON: the JSON Lines decoded, parsed
 * and grouped on this page, the way a page without Arrow would. Publishes `window.benchResult`.
 */

interface Reply {
  bytes: ArrayBuffer;
  rows: number;
  counted: number;
  cells: number;
  workerMs: number;
}

const params = new URLSearchParams(location.search);
const fromMs = Number(params.get('from'));
const toMs = Number(params.get('to'));
const zone = params.get('zone') ?? 'Europe/Moscow';
const runs = Number(params.get('runs') ?? 7);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const [arrowBuffer, jsonBuffer] = await Promise.all([
    fetch('/facts.arrow').then((r) => r.arrayBuffer()),
    fetch('/facts.jsonl').then((r) => r.arrayBuffer()),
  ]);
  const worker = new Worker('/worker.js', { type: 'module' });
  let pending: ((reply: Reply) => void) | null = null;
  worker.onmessage = (event: MessageEvent<Reply>) => pending?.(event.data);
  let bytes = arrowBuffer;
  const arrowByteLength = arrowBuffer.byteLength;
  const runArrow = async () => {
    const started = performance.now();
    const reply = await new Promise<Reply>((resolve) => {
      pending = resolve;
      worker.postMessage({ bytes, fromMs, toMs, zone }, [bytes]);
    });
    bytes = reply.bytes;
    return { ms: performance.now() - started, reply };
  };

  let longestTask = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  await runArrow(); // warm-up: JIT, worker start
  await runArrow();
  const arrowTimes: number[] = [];
  const workerTimes: number[] = [];
  let last: Reply | null = null;
  for (let i = 0; i < runs; i++) {
    const { ms, reply } = await runArrow();
    arrowTimes.push(ms);
    workerTimes.push(reply.workerMs);
    last = reply;
  }
  for (const entry of observer.takeRecords()) longestTask = Math.max(longestTask, entry.duration);
  observer.disconnect();

  const runJson = () => {
    const started = performance.now();
    const calendar = new LocalCalendar(fromMs, toMs, zone);
    const text = new TextDecoder().decode(jsonBuffer);
    const counts = new Map<string, number>();
    let rows = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const row = JSON.parse(line) as { operator: string; status: string; started_at: string };
      rows++;
      const day = calendar.dayIndex(Date.parse(row.started_at));
      if (day < 0) continue;
      const key = `${row.operator}\u0001${row.status}\u0001${day}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return { ms: performance.now() - started, rows, cells: counts.size };
  };
  const jsonRuns = [runJson(), runJson()];
  const json = jsonRuns.reduce((a, b) => (a.ms <= b.ms ? a : b));

  (window as unknown as { benchResult: unknown }).benchResult = {
    rows: last!.rows,
    arrowBytes: arrowByteLength,
    jsonBytes: jsonBuffer.byteLength,
    arrowMs: median(arrowTimes),
    arrowRuns: arrowTimes,
    workerMs: median(workerTimes),
    jsonMs: json.ms,
    jsonRows: json.rows,
    cellsArrow: last!.cells,
    cellsJson: json.cells,
    longestTaskMs: longestTask,
  };
}

main().catch((error: unknown) => {
  (window as unknown as { benchError: string }).benchError = String((error as Error)?.stack ?? error);
});
