'use strict';
/**
 * The `ari-client` package (2.2.0) run inside a worker thread: the isolation that makes it safe
 * for the main job (ari-client-stream.ts starts and supervises this worker).
 *
 * Why a worker: ari-client builds its API from Asterisk's Swagger documents through
 * swagger-client 2.0.26, whose `fail()` calls the failure callback and then throws from an HTTP
 * callback (`Can't read swagger JSON from …` when `/ari/api-docs/resources.json` answers 404 —
 * res_ari not loaded, or an Asterisk still starting; `503 : …` and the like for the other
 * documents). That throw escapes every promise and, in the main thread, ends the process. In a
 * worker it ends only the worker; the parent sees an `error` and an `exit`, says why and starts
 * another worker after a backoff (docs/architecture.md, "Known sharp edges").
 *
 * workerData: {url, username, password, app, pingIntervalMs, eventTypes}. With `eventTypes`, after
 * every connect the application's event filter is set to them (ARI `PUT
 * /applications/{app}/eventFilter`, Asterisk's REST API: Applications): Asterisk then sends only
 * those, so the events nobody reads (ChannelVarset, ChannelDialplan, … — most of a busy
 * Asterisk's stream) cost neither Asterisk, ari-client's resource objects, nor the copy to the
 * parent. Refused or unsupported: a `log` message, and every event keeps coming.
 * To the parent, also {kind:'log', line}.
 * To the parent: {kind:'connected'} after every (re)connect of the event socket,
 * {kind:'event', event} per ARI event (the JSON Asterisk sent), {kind:'disconnected', reason},
 * {kind:'reply', id, ok, value | error:{status, message}}.
 * From the parent: {kind:'call', id, method:'listChannels'|'getVariable', args}.
 * The worker exits (and the parent reconnects) when ari-client gives up reconnecting
 * (WebSocketMaxRetries) or a ping gets no pong.
 */
const { parentPort, workerData } = require('node:worker_threads');
const ari = require('ari-client');

const { url, username, password, app, pingIntervalMs, eventTypes } = workerData;

// What escapes ari-client ends this worker; say what it was first (swagger-client throws strings).
process.on('uncaughtException', (error) => {
  const text =
    error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  parentPort.postMessage({ kind: 'disconnected', reason: `ari-client failed: ${text}` });
  process.exit(1);
});

/** A resource instance of ari-client as plain data (its fields, not the client nor its bound operations). */
const plain = (value) => {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const key of Object.keys(value))
    if (!key.startsWith('_') && typeof value[key] !== 'function') out[key] = value[key];
  return out;
};

/**
 * ari-client turns Asterisk's error body into `new Error('{"message":"Channel not found"}')` and
 * drops the status; Asterisk's REST API documents 404 for a missing channel or variable.
 */
const describeError = (error) => {
  let message = error instanceof Error ? error.message : String(error);
  try {
    const body = JSON.parse(message);
    if (body && typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: a transport error
  }
  const status = /not found/i.test(message) ? 404 : 0;
  return { status, message };
};

ari.connect(url, username, password).then(
  (client) => {
    const calls = {
      listChannels: () => client.channels.list(),
      getVariable: ({ channelId, variable }) =>
        client.channels.getChannelVar({ channelId, variable }).then((r) => r.value),
    };
    parentPort.on('message', (message) => {
      if (message.kind !== 'call') return;
      const call = calls[message.method];
      if (!call) {
        parentPort.postMessage({
          kind: 'reply',
          id: message.id,
          ok: false,
          error: { status: 0, message: `unknown call ${message.method}` },
        });
        return;
      }
      Promise.resolve()
        .then(() => call(message.args ?? {}))
        .then(
          (value) => parentPort.postMessage({ kind: 'reply', id: message.id, ok: true, value: plain(value) }),
          (error) =>
            parentPort.postMessage({ kind: 'reply', id: message.id, ok: false, error: describeError(error) }),
        );
    });

    // Ping only while the socket is open: ari-client's ping() throws on a closed socket.
    let open = false;
    let alive = true;
    const pinger = setInterval(() => {
      if (!open) return;
      if (!alive) {
        parentPort.postMessage({ kind: 'disconnected', reason: 'no pong from Asterisk' });
        process.exit(1);
      }
      alive = false;
      client.ping();
    }, pingIntervalMs);
    client.on('pong', () => {
      alive = true;
    });
    client.on('WebSocketConnected', () => {
      open = true;
      alive = true;
      if (Array.isArray(eventTypes) && eventTypes.length > 0) {
        const filter = client.applications?.filter;
        if (typeof filter !== 'function') {
          parentPort.postMessage({
            kind: 'log',
            line: 'ARI: this Asterisk has no application event filter; every event is received',
          });
        } else {
          Promise.resolve()
            .then(() =>
              client.applications.filter({
                applicationName: app,
                filter: { allowed: eventTypes.map((type) => ({ type })) },
              }),
            )
            .catch((error) => {
              parentPort.postMessage({
                kind: 'log',
                line: `ARI: the event filter was refused (${describeError(error).message}); every event is received`,
              });
            });
        }
      }
      parentPort.postMessage({ kind: 'connected' });
    });
    client.on('WebSocketReconnecting', (error) => {
      open = false;
      parentPort.postMessage({
        kind: 'disconnected',
        reason: `event socket lost (${error ? error.message : 'closed'}); ari-client reconnecting`,
      });
    });
    client.on('WebSocketMaxRetries', (error) => {
      clearInterval(pinger);
      parentPort.postMessage({
        kind: 'disconnected',
        reason: `ari-client gave up reconnecting${error ? ` (${error.message})` : ''}`,
      });
      process.exit(1);
    });
    client.on('*', (event) => {
      parentPort.postMessage({ kind: 'event', event });
    });
    client.start(app, true).catch((error) => {
      parentPort.postMessage({
        kind: 'disconnected',
        reason: `could not open the event socket: ${error.message}`,
      });
      process.exit(1);
    });
  },
  (error) => {
    parentPort.postMessage({
      kind: 'disconnected',
      reason: `ari-client could not load the API: ${error instanceof Error ? error.message : String(error)}`,
    });
    process.exit(1);
  },
);
