/// <reference lib="webworker" />
import type { FactFrame } from '@callcenter/analytics/aggregate';
import { computeReports, decodeFacts } from './compute-reports.ts';
import type { FactKind, FromWorker, ToWorker } from './report-protocol.ts';

/**
 * The reports' Web Worker: collects the transferred Arrow chunks of each body, decodes them once
 * when the body ends (flechette, lazily: decode-arrow.ts), keeps the frames, and answers every slice with the views'
 * rows (compute-reports.ts). Errors are posted back, never thrown into the void.
 */

declare const self: DedicatedWorkerGlobalScope;

const chunks = new Map<FactKind, Uint8Array[]>();
let frames: Partial<Record<FactKind, FactFrame>> = {};

const post = (message: FromWorker) => self.postMessage(message);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'reset':
      chunks.clear();
      frames = {};
      return;
    case 'chunk': {
      const list = chunks.get(message.kind) ?? [];
      list.push(new Uint8Array(message.bytes));
      chunks.set(message.kind, list);
      return;
    }
    case 'end': {
      const started = performance.now();
      const bytes = concat(chunks.get(message.kind) ?? []);
      chunks.delete(message.kind);
      try {
        const frame = decodeFacts(message.kind, bytes);
        frames = { ...frames, [message.kind]: frame };
        post({
          type: 'loaded',
          kind: message.kind,
          rows: frame.rows,
          bytes: bytes.byteLength,
          decodeMs: performance.now() - started,
        });
      } catch (error) {
        post({ type: 'error', kind: message.kind, message: (error as Error).message });
      }
      return;
    }
    case 'slice':
      try {
        post({
          type: 'result',
          requestId: message.requestId,
          result: computeReports(frames, message.slice, message.settings),
        });
      } catch (error) {
        post({ type: 'error', requestId: message.requestId, message: (error as Error).message });
      }
      return;
  }
};
