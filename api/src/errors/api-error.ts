import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The API's one error type (hono's HTTPException, as its own model prescribes), carrying the JSON
 * body every error response has: `{error, message, details}`. `error` is a stable machine code
 * (`validation_failed`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `rate_limited`, …),
 * `message` a sentence for people, `details` optional structured context.
 */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(status, { message });
  }
}

/**
 * The API's one error body: a stable code, a sentence for people, and details (field errors, the
 * current card on a 409).
 */
export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

/** 400 `bad_request` with `message` and optional details. */
export const badRequest = (message: string, details?: unknown) =>
  new ApiError(400, 'bad_request', message, details);
/** 401 `unauthorized`: no or an invalid access token. */
export const unauthorized = (message = 'authentication required') =>
  new ApiError(401, 'unauthorized', message);
/** 403 `forbidden`: not allowed for this role or scope. */
export const forbidden = (message = 'not allowed for your role') => new ApiError(403, 'forbidden', message);
/** 404 `not_found`. */
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
/** 409 `conflict`, with details. */
export const conflict = (message: string, details?: unknown) =>
  new ApiError(409, 'conflict', message, details);
