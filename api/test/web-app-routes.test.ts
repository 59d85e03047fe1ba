import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { distRelativePath, webAppRoutes } from '../src/routes/web/web-app-routes.ts';

/** The web app's static serving: redirects, caching by kind of file, SPA fallback, containment. */

const dist = mkdtempSync(join(tmpdir(), 'web-dist-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
writeFileSync(join(dist, 'assets', 'index-AbC123.js'), 'console.log(1)');
writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
writeFileSync(join(tmpdir(), 'outside-web-dist.txt'), 'secret');
const app = webAppRoutes(dist);
const missing = webAppRoutes(join(dist, 'nope'));

afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('web app routes', () => {
  it('redirects / and /app to /app/', async () => {
    const root = await app.request('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app/');
    const bare = await app.request('/app');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/app/');
  });

  it('serves index.html with no-cache at /app/ and for every client route', async () => {
    for (const path of ['/app/', '/app/journal', '/app/journal/calls/42?status=missed', '/app/admin/users']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('id="root"');
    }
  });

  it('caches hashed assets for a year and 404s a missing one instead of answering HTML', async () => {
    const res = await app.request('/app/assets/index-AbC123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('console.log(1)');
    const gone = await app.request('/app/assets/index-OLD999.js');
    expect(gone.status).toBe(404);
    const other = await app.request('/app/favicon.svg');
    expect(other.headers.get('cache-control')).toBe('no-cache');
    expect(other.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('never serves a file outside web/dist', async () => {
    expect(distRelativePath('../outside-web-dist.txt')).toBeNull();
    expect(distRelativePath('%2e%2e/outside-web-dist.txt')).toBeNull();
    expect(distRelativePath('assets/%00.js')).toBeNull();
    expect(distRelativePath('%E0%A4%A')).toBeNull();
    for (const path of ['/app/%2e%2e/outside-web-dist.txt', '/app/assets/..%2f..%2foutside-web-dist.txt']) {
      const res = await app.request(path);
      expect(await res.text(), path).not.toContain('secret');
    }
  });

  it('says how to build the app when web/dist is missing', async () => {
    const res = await missing.request('/app/journal');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build -w web');
  });
});
