import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ApiDeps, createApp } from '../src/app.ts';
import { swaggerUiDir } from '../src/routes/docs/docs-routes.ts';

/**
 * `GET /docs`: Swagger UI from node_modules (swagger-ui-dist), no CDN. The routes read no
 * database, so the app is built over stand-in stores (nothing here may touch them).
 */
const untouched = new Proxy(
  {},
  {
    get(_target, key) {
      if (key === 'then') return undefined;
      throw new Error(`the docs routes touched the stores (${String(key)})`);
    },
  },
);
const deps = {
  db: untouched,
  pool: { options: {} },
  clickhouse: null,
  config: {
    port: 0,
    jwtSecret: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    accessTokenTtlSec: 900,
    refreshTokenTtlSec: 3600,
    recordingsDir: '/nonexistent',
    bodyLimitBytes: 64 * 1024,
  },
  log: () => {},
} as unknown as ApiDeps;
const app = createApp(deps);

/** `src` and `href` URLs of the page, in order. */
const urlsOf = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);

describe('GET /docs', () => {
  it('is an HTML page that loads Swagger UI from us and points it at /openapi.json', async () => {
    for (const path of ['/docs', '/docs/']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      const urls = urlsOf(html);
      expect(urls).toContain('/docs/swagger-ui-bundle.js');
      expect(urls).toContain('/docs/swagger-ui.css');
      // Offline clinics: nothing from another host.
      expect(urls.filter((u) => /^(?:https?:)?\/\//.test(u))).toEqual([]);
      expect(html).not.toMatch(/<script>/); // no inline script
      const init = await app.request('/docs/swagger-initializer.js');
      expect(init.status).toBe(200);
      expect(init.headers.get('content-type')).toMatch(/^text\/javascript/);
      const initializer = await init.text();
      expect(initializer).toContain('url: "/openapi.json"');
      expect(html + initializer).not.toContain('petstore');
    }
  });

  it('serves the swagger-ui bundle from node_modules as JavaScript', async () => {
    const res = await app.request('/docs/swagger-ui-bundle.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(readFileSync(join(swaggerUiDir(), 'swagger-ui-bundle.js')))).toBe(true);
    expect(body.toString('utf8')).toContain('SwaggerUIBundle');
    const css = await app.request('/docs/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('serves only its allowlist: other package files and paths out of it are 404', async () => {
    for (const path of [
      '/docs/index.html',
      '/docs/package.json',
      '/docs/swagger-ui-bundle.js.map',
      '/docs/..%2Fpackage.json',
      '/docs/%2E%2E%2F%2E%2E%2Fpackage.json',
      '/docs/constructor',
      '/docs/nested/swagger-ui-bundle.js',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
  });

  it('the document it points at is served', async () => {
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});
