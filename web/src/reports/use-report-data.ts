import type { FactSlice } from '@callcenter/analytics/aggregate';
import { useEffect, useRef, useState } from 'react';
import { apiFetch } from '../api/http.ts';
import { COLUMNS_OF } from './worker/fact-columns.ts';
import type {
  FactKind,
  FromWorker,
  ReportResult,
  ReportSettings,
  ToWorker,
} from './worker/report-protocol.ts';

/**
 * The reports' data on the page: one Web Worker per page; when the period changes, the API's
 * Arrow bodies are streamed into it (each chunk transferred as it arrives, so the UI thread only
 * counts bytes), and every change of the slice is one message answered with the views' rows — no
 * refetch. Long periods read `/reports/rollup` (day counts) instead of the facts.
 */

export interface LoadProgress {
  /** Bytes received so far over all bodies, and the total when the server announced it. */
  bytes: number;
  totalBytes: number | null;
  /** Rows decoded per kind once a body has ended. */
  rows: Partial<Record<FactKind, number>>;
  done: boolean;
}

/**
 * What the reports page shows: load progress, the current slice's result, an error, and whether a
 * new slice is being computed.
 */
export interface ReportData {
  progress: LoadProgress;
  result: ReportResult | null;
  error: Error | null;
  /** A slice is being computed (the previous result stays on screen meanwhile). */
  slicing: boolean;
}

/**
 * What to load: the period (epoch ms, half-open), facts or the rollup (long periods), and the
 * settings of the slices.
 */
export interface ReportFetch {
  fromMs: number;
  toMs: number;
  /** Rollup path for long periods. */
  rollup: boolean;
  settings: ReportSettings;
}

const EMPTY_PROGRESS: LoadProgress = { bytes: 0, totalBytes: null, rows: {}, done: false };

function urlOf(kind: FactKind, request: ReportFetch): string {
  const params = new URLSearchParams({
    from: new Date(request.fromMs).toISOString(),
    to: new Date(request.toMs).toISOString(),
  });
  if (kind === 'rollup') {
    params.set('grain', 'day');
    params.set('tz', request.settings.zone);
    params.set('sl_sec', String(request.settings.rollupSlSec));
    return `/reports/rollup?${params}`;
  }
  if (kind === 'calls') {
    const { text, numbers } = COLUMNS_OF.calls;
    params.set('columns', [...text, ...numbers].join(','));
    return `/reports/facts?${params}`;
  }
  return `/reports/${kind}?${params}`;
}

/** Streams one body into the worker, chunk by chunk (transferred), reporting bytes as they come. */
async function streamInto(
  worker: Worker,
  kind: FactKind,
  request: ReportFetch,
  signal: AbortSignal,
  onBytes: (bytes: number, total: number | null) => void,
): Promise<void> {
  const response = await apiFetch(urlOf(kind, request), { signal });
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  onBytes(0, total);
  const reader = response.body?.getReader();
  if (!reader) {
    const buffer = await response.arrayBuffer();
    onBytes(buffer.byteLength, total);
    worker.postMessage({ type: 'chunk', kind, bytes: buffer } satisfies ToWorker, [buffer]);
  } else {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Transfer the chunk's own buffer (copy only when the view shares a larger one).
      const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
      const buffer = (whole ? value.buffer : value.slice().buffer) as ArrayBuffer;
      onBytes(value.byteLength, total);
      worker.postMessage({ type: 'chunk', kind, bytes: buffer } satisfies ToWorker, [buffer]);
    }
  }
  worker.postMessage({ type: 'end', kind } satisfies ToWorker);
}

/** Loads `request` (when not null) and keeps the result of `slice` current. */
export function useReportData(request: ReportFetch | null, slice: FactSlice): ReportData {
  const workerRef = useRef<Worker | null>(null);
  const listeners = useRef(new Set<(message: FromWorker) => void>());
  const [progress, setProgress] = useState<LoadProgress>(EMPTY_PROGRESS);
  const [result, setResult] = useState<ReportResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [slicing, setSlicing] = useState(false);
  const [loadedVersion, setLoadedVersion] = useState(0);
  const requestId = useRef(0);

  useEffect(() => {
    const worker = new Worker(new URL('./worker/reports.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      for (const listener of listeners.current) listener(event.data);
    };
    workerRef.current = worker;
    return () => {
      worker.terminate();
      workerRef.current = null;
    };
  }, []);

  const key = request
    ? `${request.fromMs}|${request.toMs}|${request.rollup}|${request.settings.zone}|${request.settings.rollupSlSec}`
    : '';

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the request's fields.
  useEffect(() => {
    const worker = workerRef.current;
    if (!worker || !request) return;
    const controller = new AbortController();
    const kinds: FactKind[] = request.rollup ? ['rollup'] : ['calls', 'attempts', 'segments'];
    const pending = new Set(kinds);
    const totals = new Map<FactKind, number | null>();
    let bytes = 0;
    setProgress(EMPTY_PROGRESS);
    setError(null);
    setResult(null);
    worker.postMessage({ type: 'reset' } satisfies ToWorker);
    const listener = (message: FromWorker) => {
      if (controller.signal.aborted) return;
      if (message.type === 'loaded' && pending.has(message.kind)) {
        pending.delete(message.kind);
        setProgress((p) => ({
          ...p,
          rows: { ...p.rows, [message.kind]: message.rows },
          done: pending.size === 0,
        }));
        if (pending.size === 0) setLoadedVersion((v) => v + 1);
      } else if (message.type === 'error' && message.kind) {
        setError(new Error(message.message));
      }
    };
    listeners.current.add(listener);
    for (const kind of kinds) {
      streamInto(worker, kind, request, controller.signal, (chunk, total) => {
        bytes += chunk;
        totals.set(kind, total);
        const all = [...totals.values()];
        const known = all.length === kinds.length && all.every((t) => t !== null);
        setProgress((p) => ({
          ...p,
          bytes,
          totalBytes: known ? all.reduce((s: number, t) => s + (t ?? 0), 0) : null,
        }));
      }).catch((reason: unknown) => {
        if (!controller.signal.aborted)
          setError(reason instanceof Error ? reason : new Error(String(reason)));
      });
    }
    return () => {
      controller.abort();
      listeners.current.delete(listener);
    };
  }, [key]);

  const sliceKey = JSON.stringify(slice);
  const settingsKey = request ? JSON.stringify(request.settings) : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: keys stand for the slice and settings.
  useEffect(() => {
    const worker = workerRef.current;
    if (!worker || !request || loadedVersion === 0 || !progress.done) return;
    const id = ++requestId.current;
    setSlicing(true);
    const listener = (message: FromWorker) => {
      if (message.type === 'result' && message.requestId === id) {
        setResult(message.result);
        setSlicing(false);
      } else if (message.type === 'error' && message.requestId === id) {
        setError(new Error(message.message));
        setSlicing(false);
      }
    };
    listeners.current.add(listener);
    worker.postMessage({
      type: 'slice',
      requestId: id,
      slice,
      settings: request.settings,
    } satisfies ToWorker);
    return () => {
      listeners.current.delete(listener);
    };
  }, [sliceKey, settingsKey, loadedVersion, progress.done]);

  return { progress, result, error, slicing };
}
