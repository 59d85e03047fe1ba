import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { ApiEnv } from '../../api-deps.ts';

/**
 * The web app (web/dist, built by `npm run build -w web`) served by the API at the same origin,
 * under `/app/` so that no client route can collide with an API path:
 *
 * - `GET /` redirects to `/app/`; `/app` to `/app/`.
 * - `/app/assets/*` are Vite's content-hashed files: cached for a year, `immutable`. A missing one
 *   is a 404 (never index.html: a stale page asking for an old chunk must fail loudly, not parse
 *   HTML as JavaScript).
 * - Any other existing file of web/dist is served with `no-cache` (revalidated every time).
 * - Any other `/app/…` path is a client route: index.html with `no-cache`, so a new build is picked
 *   up on the next load (the SPA fallback).
 * - When web/dist has not been built, every `/app/…` answer is a 503 page saying how to build it.
 *
 * Paths never leave the dist folder: `..` segments and NUL bytes are refused before the file
 * system is touched. These routes are not API routes: they are not in /openapi.json.
 */

export const WEB_APP_BASE = '/app';

/** web/dist of this repository (api/src/routes/web → four levels up). */
export const DEFAULT_WEB_DIST = resolve(import.meta.dirname, '../../../../web/dist');

/** Content types of what Vite emits; anything else is served as octet-stream. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Web app not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The web app is not built</h1>
<p>This server found no <code>web/dist/index.html</code>. Build it with
<code>npm run build -w web</code> (<code>npm start</code> and <code>npm test</code> do it first),
then reload. The HTTP API itself works: see <a href="/docs">/docs</a>.</p>
</body></html>
`;

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** The file's size when `path` is a regular file; null otherwise. */
async function fileSize(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

/**
 * The dist-relative file a request path names, or null when it is not a safe file path (`..`,
 * NUL, backslashes, empty). `rest` is the path after `/app/`, still URL-encoded.
 */
export function distRelativePath(rest: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (decoded === '' || decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  return segments.filter(Boolean).join('/') || null;
}

/** The route group, registered with `app.route('/', webAppRoutes())`. */
export function webAppRoutes(distDir: string = DEFAULT_WEB_DIST) {
  const root = resolve(distDir);
  const app = new Hono<ApiEnv>();
  app.use(`${WEB_APP_BASE}/*`, compress());

  const send = async (c: Context<ApiEnv>, path: string, cacheControl: string) => {
    const bytes = await readFile(path);
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': cacheControl,
      ...securityHeaders,
    });
  };

  const index = async (c: Context<ApiEnv>) => {
    const path = join(root, 'index.html');
    if ((await fileSize(path)) === null) {
      return c.html(NOT_BUILT_HTML, 503, { 'cache-control': 'no-store', ...securityHeaders });
    }
    return send(c, path, REVALIDATE);
  };

  app.get('/', (c) => c.redirect(`${WEB_APP_BASE}/`, 302));
  app.get(WEB_APP_BASE, (c) => c.redirect(`${WEB_APP_BASE}/`, 301));
  app.get(`${WEB_APP_BASE}/`, index);
  app.get(`${WEB_APP_BASE}/*`, async (c) => {
    const rest = c.req.path.slice(WEB_APP_BASE.length + 1);
    const relative = distRelativePath(rest);
    const isAsset = rest.startsWith('assets/');
    if (relative !== null) {
      const path = join(root, relative);
      if (path.startsWith(root + sep) && (await fileSize(path)) !== null) {
        return send(c, path, isAsset ? IMMUTABLE : REVALIDATE);
      }
    }
    // A file-looking path that does not exist (an old hashed chunk, a typo) is a plain 404.
    if (isAsset || relative === null) {
      return c.text(`no file /app/${rest} in the web app`, 404, {
        'cache-control': 'no-store',
        ...securityHeaders,
      });
    }
    return index(c);
  });
  return app;
}
