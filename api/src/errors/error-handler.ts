import { isConnectionError } from '@callcenter/platform/dependency-health';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { ApiError, type ErrorBody } from './api-error.ts';

/**
 * Maps every error to one JSON shape in one place (hono's onError): ApiError as it says, other
 * HTTPExceptions (body limit, hono/jwt) by status, zod errors as 400 with the issues, a statement
 * cancelled by the API pool's statement_timeout (SQLSTATE 57014) or a database that does not answer
 * as 503, anything else as 500 — which only a bug can reach, so it is logged and its message is not shown.
 */
const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  422: 'validation_failed',
  429: 'rate_limited',
};

const send = (c: Context, status: ContentfulStatusCode, body: ErrorBody) => c.json(body, status);

/**
 * Hono's onError: an ApiError becomes its status and body, a ZodError a 400 `validation_failed`
 * with the issues, an HTTPException its status; anything else is logged (with the stack) and
 * answered 500 `internal` without details.
 */
export function errorHandler(log: (line: string) => void = console.error): ErrorHandler {
  return function onError(error, c) {
    if (error instanceof ApiError) {
      return send(c, error.status, { error: error.code, message: error.message, details: error.details });
    }
    if (error instanceof ZodError) {
      return send(c, 400, {
        error: 'validation_failed',
        message: 'the request is not valid',
        details: error.issues,
      });
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      return send(c, status, { error: CODES[status] ?? 'error', message: error.message || 'request failed' });
    }
    const code = (error as { code?: unknown }).code;
    if (code === '57014')
      return send(c, 503, {
        error: 'timeout',
        message: 'the query ran past its time limit and was cancelled; narrow the request',
      });
    if (isConnectionError(error))
      return send(c, 503, { error: 'unavailable', message: 'the database does not answer; retry shortly' });
    log(
      `500 ${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return send(c, 500, { error: 'internal', message: 'internal error' });
  };
}

/** Hono's notFound: 404 `not_found` naming the method and path. */
export const notFoundHandler: NotFoundHandler = (c) =>
  send(c, 404, { error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` });
