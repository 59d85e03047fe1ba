import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiEnv } from '../../api-deps.ts';
import { notFound } from '../../errors/api-error.ts';

/**
 * `GET /docs`: Swagger UI over `/openapi.json`, served from the `swagger-ui-dist` package in
 * node_modules — no CDN, so it works on a clinic network without internet. Only the files the
 * page needs are served (an allowlist, never a path from the request); the package's own
 * index.html and swagger-initializer.js point at the petstore and are not exposed. The page has no
 * inline script: our initializer is a file of its own. No authentication, like /openapi.json: the
 * page only describes the API; "Authorize" takes an access token for "Try it out".
 */

export const DOCS_PATH = '/docs';
/** Where the OpenAPI 3.1 document is served. */
export const OPENAPI_PATH = '/openapi.json';

/** The folder of the installed swagger-ui-dist package. */
export function swaggerUiDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const ASSETS: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const INITIALIZER = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Call accounting API</title>
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui" data-openapi-url="${OPENAPI_PATH}"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/swagger-initializer.js"></script>
  </body>
</html>
`;

/** The docs route group, registered with `app.route('/', docsRoutes())`. */
export function docsRoutes(dir: string = swaggerUiDir()) {
  const app = new OpenAPIHono<ApiEnv>();
  // The files do not change while the process runs: each is read once, on first request.
  const cache = new Map<string, Promise<Buffer>>();
  const read = (name: string) => {
    let file = cache.get(name);
    if (!file) {
      file = readFile(join(dir, name));
      file.catch(() => cache.delete(name)); // a failed read is retried next time
      cache.set(name, file);
    }
    return file;
  };

  const index = (c: Context<ApiEnv>) => c.html(INDEX_HTML);
  app.get(DOCS_PATH, index);
  app.get(`${DOCS_PATH}/`, index);
  app.get(`${DOCS_PATH}/swagger-initializer.js`, (c) =>
    c.body(INITIALIZER, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.get(`${DOCS_PATH}/:file`, async (c) => {
    const name = c.req.param('file');
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!type) throw notFound(`no file ${name} in the docs`);
    const bytes = await read(name);
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
    });
  });
  return app;
}
