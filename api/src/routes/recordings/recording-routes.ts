import { Readable } from 'node:stream';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { audit } from '../../audit/audit-log.ts';
import { clientIp } from '../../auth/request-origin.ts';
import { forbidden, notFound } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { callScope } from '../../scope/call-scope.ts';
import { CallIdParams, ErrorBody } from '../calls/call-schemas.ts';
import { openRecording, parseRange, RangeNotSatisfiableError } from './recording-file.ts';

/**
 * `GET /calls/{id}/recording`: a call's recording, streamed from `recordingsDir` with HTTP Range
 * support (players seek with it). The call must be in the user's scope (404 otherwise, as for the
 * card); `?download=true` (supervisors and admins) adds `Content-Disposition: attachment`. Each
 * listen (a request from byte 0: the first range a player asks for) writes `recording_listen` to
 * the audit log, each download `recording_download` — before any byte is sent, so no audio leaves
 * without its row.
 */

const RecordingQuery = z.strictObject({
  download: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: '`true`: as an attachment (supervisor and admin only)' }),
  access_token: z.string().optional().openapi({
    description:
      'the access token, for an <audio> element that cannot send headers: it streams with Range requests',
  }),
});

const audio = {
  schema: z.string().openapi({ format: 'binary' }),
};
const audioContent = {
  'audio/wav': audio,
  'audio/mpeg': audio,
  'audio/ogg': audio,
  'audio/x-gsm': audio,
};

const errorContent = { 'application/json': { schema: ErrorBody } };

const recordingRoute = createRoute({
  method: 'get',
  path: '/calls/{id}/recording',
  tags: ['recordings'],
  security: [{ bearer: [] }],
  summary: 'A call’s recording (Range supported); `?download=true` as an attachment',
  request: {
    params: CallIdParams,
    query: RecordingQuery,
    headers: z.object({
      range: z
        .string()
        .optional()
        .openapi({ description: 'one byte range: `bytes=a-b`, `bytes=a-` or `bytes=-n`' }),
    }),
  },
  responses: {
    200: { description: 'the whole recording', content: audioContent },
    206: { description: 'the requested byte range (`Content-Range`)', content: audioContent },
    400: {
      description: 'bad id or query, or the stored path leaves the recordings directory',
      content: errorContent,
    },
    401: { description: 'no or invalid access token', content: errorContent },
    403: { description: 'download needs the role supervisor or admin', content: errorContent },
    404: {
      description: 'no such call in your scope, no recording, or the file is missing',
      content: errorContent,
    },
    416: {
      description: 'the range is outside the file (`Content-Range: bytes */size`)',
      content: errorContent,
    },
  },
});

/** The stored recording of call `id` if it is in `user`'s scope: undefined when the call is not. */
async function findRecordingPath(deps: ApiDeps, user: Parameters<typeof callScope>[0], id: number) {
  const row = await deps.db
    .selectFrom('app.calls as c')
    .where(callScope(user))
    .where('c.id', '=', id)
    .select(['c.recording_path', 'c.recordings'])
    .executeTakeFirst();
  if (!row) return undefined;
  const path = row.recording_path?.trim() || row.recordings.find((r) => r.trim() !== '')?.trim() || null;
  return { path };
}

/** A Content-Disposition value for `name`: plain when it is safe ASCII, with RFC 5987 `filename*` otherwise. */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (ascii === name) return `attachment; filename="${name}"`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The recordings route group, registered with `app.route('/', recordingRoutes(deps))`. */
export function recordingRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  // An <audio> element streams the file itself (Range requests, seeking) and cannot send headers:
  // the short-lived access token may come as `?access_token=`, as for EventSource (live-routes.ts).
  app.use('/calls/:id/recording', authenticate({ secret: deps.config.jwtSecret, allowQueryToken: true }));

  return app.openapi(recordingRoute, async (c) => {
    const { id } = c.req.valid('param');
    const download = c.req.valid('query').download === 'true';
    const user = c.get('user');
    const found = await findRecordingPath(deps, user, id);
    if (!found) throw notFound(`no call ${id}`);
    if (download && user.role !== 'supervisor' && user.role !== 'admin') {
      throw forbidden('downloading recordings needs the role supervisor or admin');
    }
    if (found.path === null) throw notFound(`call ${id} has no recording`);

    const file = await openRecording(
      deps.config.recordingsDir,
      found.path,
      id,
      deps.config.asteriskMonitorDir,
    );
    let range: ReturnType<typeof parseRange>;
    try {
      range = parseRange(c.req.header('range'), file.size);
    } catch (error) {
      await file.handle.close();
      if (error instanceof RangeNotSatisfiableError) c.header('Content-Range', `bytes */${error.size}`);
      throw error;
    }
    try {
      if (c.req.method !== 'HEAD') {
        const ip = clientIp(c);
        const details = { path: found.path, start: range.start, end: range.end, size: file.size };
        if (download) {
          await audit(deps.db, { user, action: 'recording_download', target: `call:${id}`, ip, details });
        } else if (range.start === 0) {
          await audit(deps.db, { user, action: 'recording_listen', target: `call:${id}`, ip, details });
        }
      }
    } catch (error) {
      await file.handle.close();
      throw error;
    }

    const length = file.size === 0 ? 0 : range.end - range.start + 1;
    const headers: Record<string, string> = {
      'Content-Type': file.contentType,
      'Content-Length': String(length),
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    };
    if (range.partial) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${file.size}`;
    if (download) headers['Content-Disposition'] = attachmentDisposition(file.name);

    if (length === 0 || c.req.method === 'HEAD') {
      // HEAD: headers only; the body of a GET-routed HEAD would be dropped unread, leaking the descriptor.
      await file.handle.close();
      return c.body(null, range.partial ? 206 : 200, headers);
    }
    // autoClose (the default): the descriptor is closed when the stream ends, fails or is cancelled.
    const stream = file.handle.createReadStream({ start: range.start, end: range.end });
    const body = Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
    return c.body(body, range.partial ? 206 : 200, headers);
  });
}
