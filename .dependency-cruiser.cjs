/**
 * The workspaces' dependency arrows (README.md, "Layout"), checked by `npm run lint`
 * (dependency-cruiser over the resolved imports, type-only ones included).
 *
 *   sql ← analytics ← platform ← ingest ← archive, live ← api ← cli ← bin
 *   asterisk (configuration and transports) is used by live, api and cli.
 *   web (the browser app) imports analytics' aggregate and, types only, the API's `types` entry.
 *
 * - A workspace imports another only through the entry points its package.json `exports` names
 *   (`@callcenter/x/...`): never by a relative path, never a file `exports` does not name.
 * - Production code (src/, bench/) imports only the workspaces below it (ALLOWED). Tests may
 *   also import test kits and the workspaces they check for consistency, through `exports`.
 * - The reconciler (ingest/src/reconcile) imports nothing but its own files and types.
 * - web/src imports the API's types only (`import type` from `@callcenter/api/types`): no API
 *   code reaches the browser bundle.
 * - No import cycles, type-only ones included.
 */
/** What each workspace's src/ and bench/ may import of ours, besides itself. */
const ALLOWED = {
  sql: [],
  analytics: ['sql'],
  // The storage layers only: migrations (sql) and the ClickHouse client and facts schema.
  platform: ['sql', 'analytics/src/clickhouse'],
  asterisk: ['sql', 'platform'],
  ingest: ['sql', 'analytics', 'platform'],
  archive: ['sql', 'analytics', 'platform', 'ingest'],
  live: ['sql', 'platform', 'ingest', 'asterisk'],
  api: ['sql', 'analytics', 'platform', 'ingest', 'archive', 'live', 'asterisk'],
  // The browser app: the browser-safe metric definitions, and the API's request/response types
  // (type-only: see web-imports-api-types-only).
  web: ['analytics/src/aggregate', 'api/src/api-types.ts'],
  cli: ['sql', 'analytics', 'platform', 'ingest', 'archive', 'live', 'asterisk', 'api'],
};

const ours = `^(${Object.keys(ALLOWED).join('|')})/`;

const arrows = Object.entries(ALLOWED).map(([workspace, allowed]) => ({
  name: `arrow-from-${workspace}`,
  comment: `${workspace}/ imports only ${allowed.length ? allowed.join(', ') : 'nothing of ours'} (README.md, "Layout")`,
  severity: 'error',
  // web/bench runs in Node (it drives Chromium): only web/src is the browser app.
  from: { path: workspace === 'web' ? '^web/src/' : `^${workspace}/(src|bench)/` },
  to: { path: ours, pathNot: `^(${[workspace, ...allowed].join('|')})(/|$)` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-relative-import-into-another-workspace',
      comment:
        'import another workspace through its package.json exports (@callcenter/x/...), not by a relative path',
      severity: 'error',
      from: { path: '^([a-z]+)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], pathNot: '^$1/' },
    },
    {
      name: 'only-exported-entry-points',
      comment: "import only what a workspace's package.json exports names (add it there if it is needed)",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^@callcenter/' },
    },
    {
      name: 'nothing-imports-a-command',
      comment: 'cli/ is the composition root: nothing below it imports a command',
      severity: 'error',
      from: { pathNot: '^(cli|bin)/' },
      to: { path: '^cli/' },
    },
    ...arrows,
    {
      name: 'web-imports-api-types-only',
      comment:
        "the web app takes the API's shapes with `import type` from @callcenter/api/types; API code never reaches the browser",
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^api/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'reconcile-is-pure',
      comment:
        'the reconciler imports nothing but its own files and types: no I/O, no database (README.md, "Layout")',
      severity: 'error',
      from: { path: '^ingest/src/reconcile/' },
      to: { pathNot: '^ingest/src/reconcile/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-cycles',
      comment: 'no import cycles, type-only ones included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|fixtures|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
