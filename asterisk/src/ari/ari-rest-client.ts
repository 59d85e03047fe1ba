import type { AriBridge, AriChannel } from './ari-events.ts';

/**
 * A small client of ARI's REST interface (Asterisk 18–22, `/ari/...`) over Node's fetch, with
 * HTTP Basic authentication. Only the calls the product makes: list channels and bridges, read a
 * channel variable (works on any channel, in Stasis or not), originate, hold/unhold, continue in
 * the dialplan, hang up.
 *
 * The API's call control uses it (one request per user action, no event socket); the live
 * source's events and REST calls go through `ari-client` behind the guards of
 * ari-client-stream.ts. A typed client of ~150 lines over the few calls used here, stable since
 * Asterisk 12, does not depend on Asterisk's Swagger documents being readable.
 *
 * Errors: {@link AriRequestError} with Asterisk's status and message (`404 Channel not found`,
 * `409 Channel not in Stasis application`, `412 Channel in invalid state`, …); a network failure
 * or timeout is an AriRequestError with status 0.
 */

export interface AriConnection {
  /** `http://asterisk:8088` (the `/ari` prefix is added). */
  url: string;
  username: string;
  password: string;
  /** Per-request timeout, ms (default 5000). */
  timeoutMs?: number;
}

export class AriRequestError extends Error {
  override name = 'AriRequestError';
  constructor(
    readonly status: number,
    message: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export interface OriginateRequest {
  /** `PJSIP/101` */
  endpoint: string;
  extension: string;
  context: string;
  priority?: number;
  /** `"Name" <101>` */
  callerId?: string;
  /** Seconds to wait for the endpoint to answer. */
  timeout?: number;
  variables?: Record<string, string>;
}

type Query = Record<string, string | number | undefined>;

export class AriRestClient {
  private readonly base: string;
  private readonly auth: string;
  private readonly timeoutMs: number;

  constructor(connection: AriConnection) {
    this.base = `${connection.url.replace(/\/+$/, '')}/ari`;
    this.auth = `Basic ${Buffer.from(`${connection.username}:${connection.password}`).toString('base64')}`;
    this.timeoutMs = connection.timeoutMs ?? 5000;
  }

  /** `GET /channels`: every channel in Asterisk (not only the app's). */
  listChannels(): Promise<AriChannel[]> {
    return this.request<AriChannel[]>('GET', '/channels');
  }

  /** `GET /channels/{id}`; 404 when gone. */
  getChannel(channelId: string): Promise<AriChannel> {
    return this.request<AriChannel>('GET', `/channels/${encodeURIComponent(channelId)}`);
  }

  /** `GET /channels/{id}/variable?variable=…`: a variable or a function such as `CHANNEL(linkedid)`. */
  async getVariable(channelId: string, variable: string): Promise<string> {
    const result = await this.request<{ value: string }>(
      'GET',
      `/channels/${encodeURIComponent(channelId)}/variable`,
      { variable },
    );
    return result.value;
  }

  /** `GET /bridges`: every bridge with its channel ids. */
  listBridges(): Promise<AriBridge[]> {
    return this.request<AriBridge[]>('GET', '/bridges');
  }

  /** `POST /channels`: rings `endpoint`; once answered it runs `context,extension,priority`. */
  originate(request: OriginateRequest): Promise<AriChannel> {
    return this.request<AriChannel>(
      'POST',
      '/channels',
      {
        endpoint: request.endpoint,
        extension: request.extension,
        context: request.context,
        priority: request.priority ?? 1,
        callerId: request.callerId,
        timeout: request.timeout,
      },
      request.variables ? { variables: request.variables } : undefined,
    );
  }

  /** `POST /channels/{id}/hold` (the channel must be in a Stasis application: else 409). */
  async hold(channelId: string): Promise<void> {
    await this.request('POST', `/channels/${encodeURIComponent(channelId)}/hold`);
  }

  /** `DELETE /channels/{id}/hold`. */
  async unhold(channelId: string): Promise<void> {
    await this.request('DELETE', `/channels/${encodeURIComponent(channelId)}/hold`);
  }

  /** `POST /channels/{id}/continue`: leaves the application for `context,extension,priority`. */
  async continueInDialplan(
    channelId: string,
    context: string,
    extension: string,
    priority = 1,
  ): Promise<void> {
    await this.request('POST', `/channels/${encodeURIComponent(channelId)}/continue`, {
      context,
      extension,
      priority,
    });
  }

  /** `DELETE /channels/{id}`: hangs up (works on any channel). */
  async hangup(channelId: string, reason = 'normal'): Promise<void> {
    await this.request('DELETE', `/channels/${encodeURIComponent(channelId)}`, { reason });
  }

  private async request<T = void>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
    const url = new URL(`${this.base}${path}`);
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: this.auth,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AriRequestError(0, `Asterisk ARI is unreachable: ${reason}`, method, path);
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text.trim() || response.statusText;
      try {
        const parsed = JSON.parse(text) as { message?: string; error?: string };
        message = parsed.message ?? parsed.error ?? message;
      } catch {
        // not JSON: keep the text
      }
      throw new AriRequestError(response.status, message, method, path);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
