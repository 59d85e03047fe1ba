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

export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

export const badRequest = (message: string, details?: unknown) =>
  new ApiError(400, 'bad_request', message, details);
export const unauthorized = (message = 'authentication required') =>
  new ApiError(401, 'unauthorized', message);
export const forbidden = (message = 'not allowed for your role') => new ApiError(403, 'forbidden', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
export const conflict = (message: string, details?: unknown) =>
  new ApiError(409, 'conflict', message, details);
