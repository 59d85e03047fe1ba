import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/** The API's shell: health, the one error body, the OpenAPI document. */
let kit: ApiTestKit;
beforeAll(async () => {
  kit = await openApiTestKit();
});
afterAll(async () => {
  await kit?.dispose();
});

describe('API shell', () => {
  it('answers /health from the database', async () => {
    const res = await kit.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      postgres: { ok: true, since: expect.any(String) },
      clickhouse: { ok: true, since: expect.any(String) },
      outbox: 0,
      watermark_lag: 0,
    });
  });

  it('answers unknown routes with the error body', async () => {
    const res = await kit.request('/nowhere');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', message: 'no route GET /nowhere' });
  });

  it('refuses an oversized body with 413 and the error body', async () => {
    const res = await kit.request('/health', { method: 'POST', json: { pad: 'x'.repeat(100_000) } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('payload_too_large');
  });

  it('publishes an OpenAPI 3.1 document', async () => {
    const doc = (await (await kit.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/health');
  });
});
