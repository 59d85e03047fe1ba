import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiConfig } from '../src/config/api-config.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * `GET /calls/{id}/recording` over the real captures: real WAV bytes are written into the kit's
 * recordingsDir under the file name Asterisk gave scenario 01's recording, then played whole, by
 * ranges and downloaded by each role; stored paths that try to leave the root (`..`, absolute
 * elsewhere, symlinks out, a sibling directory sharing the root's prefix) never yield their bytes;
 * every listen and download leaves its audit row.
 */
let kit: ApiTestKit;
let admin: string;
let op101: string;
let salesSup: string;
let supportSup: string;

/** Scenario 01 (support, answered by 101): its recording as Asterisk named it. */
const S01 = '1795234908.0';
const S01_FILE = '20261121-042148-in-1795234908.0.wav';
/** Scenario 04 (sales, answered by 103): outside op101's and the support supervisor's scope. */
const S04 = '1795234985.12';
/** Scenarios whose stored path the tests rewrite (both in op101's scope). */
const S09 = '1795235183.36';
const S11 = '1795235235.41';

const ids: Record<string, number> = {};

/** A mono 8 kHz 16-bit PCM WAV: the 44-byte RIFF header and `samples` samples of a ramp. */
function wav(samples: number): Buffer {
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(((i * 37) % 65536) - 32768, i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const AUDIO = wav(500); // 1044 bytes
const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';

function put(rel: string, bytes: Buffer | string) {
  const path = join(kit.config.recordingsDir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

async function setPath(linkedid: string, recording_path: string | null, recordings: string[] = []) {
  await kit.stores.postgres.db
    .updateTable('app.calls')
    .set({ recording_path, recordings })
    .where('id', '=', ids[linkedid]!)
    .execute();
}

const get = (
  linkedid: string,
  token: string,
  opts: { query?: string; headers?: Record<string, string> } = {},
) =>
  kit.request(`/calls/${ids[linkedid]}/recording${opts.query ?? ''}`, {
    token,
    ...(opts.headers ? { headers: opts.headers } : {}),
  });

const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

async function auditRows(action: string, linkedid: string) {
  return kit.stores.postgres.db
    .selectFrom('app.audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('target', '=', `call:${ids[linkedid]}`)
    .orderBy('id')
    .execute();
}

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'rec-admin', role: 'admin' })).token;
  op101 = (await kit.user({ login: 'rec-op101', role: 'operator', endpoint: '101' })).token;
  salesSup = (await kit.user({ login: 'rec-sales', role: 'supervisor', queues: ['sales'] })).token;
  supportSup = (await kit.user({ login: 'rec-support', role: 'supervisor', queues: ['support'] })).token;
  const rows = await kit.stores.postgres.db
    .selectFrom('app.calls')
    .select(['id', 'linkedid'])
    .where('linkedid', 'in', [S01, S04, S09, S11])
    .execute();
  for (const r of rows) ids[r.linkedid] = r.id;
  expect(Object.keys(ids).sort()).toEqual([S01, S04, S09, S11].sort());
  put(S01_FILE, AUDIO);
});
afterAll(async () => {
  await kit?.dispose();
});

describe('GET /calls/{id}/recording: playing', () => {
  it('keeps Asterisk’s path for scenario 01 (the mapping under test)', async () => {
    const row = await kit.stores.postgres.db
      .selectFrom('app.calls')
      .select(['recording_path', 'recordings'])
      .where('id', '=', ids[S01]!)
      .executeTakeFirstOrThrow();
    expect([row.recording_path, ...row.recordings]).toContain(`/var/spool/asterisk/monitor/${S01_FILE}`);
  });

  it('401 without a token', async () => {
    const res = await kit.request(`/calls/${ids[S01]}/recording`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('unauthorized');
  });

  it('serves the whole file to the operator who took the call', async () => {
    const res = await get(S01, op101);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-length')).toBe(String(AUDIO.length));
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(res.headers.get('content-range')).toBeNull();
    expect((await bytes(res)).equals(AUDIO)).toBe(true);
  });

  it('serves HEAD with the length and no body', async () => {
    const res = await kit.app.request(`/calls/${ids[S01]}/recording`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${op101}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(AUDIO.length));
    expect((await bytes(res)).length).toBe(0);
  });

  it('lets an <audio> element stream with the token in ?access_token= (it cannot send headers)', async () => {
    const res = await kit.app.request(
      `/calls/${ids[S01]}/recording?access_token=${encodeURIComponent(op101)}`,
      { headers: { range: 'bytes=40-59' } },
    );
    expect(res.status).toBe(206);
    expect((await bytes(res)).equals(AUDIO.subarray(40, 60))).toBe(true);
    const bad = await kit.app.request(`/calls/${ids[S01]}/recording?access_token=not-a-token`);
    expect(bad.status).toBe(401);
  });

  it('serves bytes=a-b as 206 with the exact slice', async () => {
    const res = await get(S01, op101, { headers: { range: 'bytes=40-59' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 40-59/${AUDIO.length}`);
    expect(res.headers.get('content-length')).toBe('20');
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect((await bytes(res)).equals(AUDIO.subarray(40, 60))).toBe(true);
  });

  it('serves bytes=a- to the end and clamps an end past it', async () => {
    const open = await get(S01, op101, { headers: { range: 'bytes=1000-' } });
    expect(open.status).toBe(206);
    expect(open.headers.get('content-range')).toBe(`bytes 1000-${AUDIO.length - 1}/${AUDIO.length}`);
    expect((await bytes(open)).equals(AUDIO.subarray(1000))).toBe(true);
    const past = await get(S01, op101, { headers: { range: 'bytes=1040-99999' } });
    expect(past.status).toBe(206);
    expect(past.headers.get('content-range')).toBe(`bytes 1040-1043/${AUDIO.length}`);
    expect((await bytes(past)).equals(AUDIO.subarray(1040))).toBe(true);
  });

  it('serves a suffix range bytes=-n (the last n bytes)', async () => {
    const res = await get(S01, op101, { headers: { range: 'bytes=-16' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(
      `bytes ${AUDIO.length - 16}-${AUDIO.length - 1}/${AUDIO.length}`,
    );
    expect((await bytes(res)).equals(AUDIO.subarray(AUDIO.length - 16))).toBe(true);
    const longer = await get(S01, op101, { headers: { range: 'bytes=-5000' } });
    expect(longer.status).toBe(206);
    expect((await bytes(longer)).equals(AUDIO)).toBe(true);
  });

  it('answers 416 with Content-Range bytes */size for an unsatisfiable range', async () => {
    for (const range of [`bytes=${AUDIO.length}-`, 'bytes=5000-6000', 'bytes=-0']) {
      const res = await get(S01, op101, { headers: { range } });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range'), range).toBe(`bytes */${AUDIO.length}`);
      expect(((await res.json()) as { error: string }).error).toBe('range_not_satisfiable');
    }
  });

  it('serves the whole file for several ranges or a Range it does not understand', async () => {
    for (const range of ['bytes=0-9,20-29', 'items=0-9', 'bytes=20-10', 'bytes=x-y']) {
      const res = await get(S01, op101, { headers: { range } });
      expect(res.status, range).toBe(200);
      expect(res.headers.get('content-range'), range).toBeNull();
      expect((await bytes(res)).equals(AUDIO), range).toBe(true);
    }
  });

  it('answers 404 for a call outside the scope, as for the card', async () => {
    const op = await get(S04, op101);
    expect(op.status).toBe(404);
    expect(((await op.json()) as { message: string }).message).toBe(`no call ${ids[S04]}`);
    expect((await get(S01, salesSup)).status).toBe(404);
    expect((await get(S01, salesSup, { query: '?download=true' })).status).toBe(404);
    expect((await kit.request('/calls/999999999/recording', { token: admin })).status).toBe(404);
  });

  it('rejects a bad id or query with 400', async () => {
    expect((await kit.request('/calls/abc/recording', { token: admin })).status).toBe(400);
    expect((await get(S01, admin, { query: '?download=yes' })).status).toBe(400);
    expect((await get(S01, admin, { query: '?foo=1' })).status).toBe(400);
  });
});

describe('GET /calls/{id}/recording?download=true', () => {
  it('is refused to operators (403) and leaves no download row', async () => {
    const res = await get(S01, op101, { query: '?download=true' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe('forbidden');
    expect(await auditRows('recording_download', S01)).toHaveLength(0);
  });

  it('serves supervisors and admins as an attachment, with an audit row each', async () => {
    for (const [token, login] of [
      [supportSup, 'rec-support'],
      [admin, 'rec-admin'],
    ] as const) {
      const res = await get(S01, token, {
        query: '?download=true',
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      expect(res.status, login).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${S01_FILE}"`);
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect((await bytes(res)).equals(AUDIO)).toBe(true);
    }
    const rows = await auditRows('recording_download', S01);
    expect(rows.map((r) => [r.login, r.ip])).toEqual([
      ['rec-support', '203.0.113.9'],
      ['rec-admin', '203.0.113.9'],
    ]);
  });
});

describe('GET /calls/{id}/recording: where the file comes from', () => {
  it('maps a bare CDR file name and names the type by extension', async () => {
    const mp3 = Buffer.from('ID3fake-mp3-bytes');
    put('cdr-name.mp3', mp3);
    await setPath(S09, 'cdr-name.mp3');
    const res = await get(S09, op101);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect((await bytes(res)).equals(mp3)).toBe(true);

    put('2026/11/21/nested.gsm', Buffer.from('gsm!'));
    await setPath(S09, '/var/spool/asterisk/monitor/2026/11/21/nested.gsm');
    const nested = await get(S09, op101);
    expect(nested.status).toBe(200);
    expect(nested.headers.get('content-type')).toBe('audio/x-gsm');
    expect(await nested.text()).toBe('gsm!');
  });

  it('strips the monitor directory Asterisk was given (ASTERISK_MONITOR_DIR), not only Asterisk’s default', async () => {
    // A site whose MixMonitor writes elsewhere (render's ASTERISK_MONITOR_DIR, the dialplan's
    // RECDIR): the stored path is under that directory, which the app is told of too.
    put('2026/12/07/20261207-200102-in-pbx1-1796673662.0.wav', AUDIO);
    await setPath(S09, '/srv/pbx1/spool/monitor/2026/12/07/20261207-200102-in-pbx1-1796673662.0.wav');
    const before = kit.config.asteriskMonitorDir;
    try {
      expect((await get(S09, op101)).status).toBe(400); // the default directory: not under it
      kit.config.asteriskMonitorDir = loadApiConfig({
        JWT_SECRET: 'x'.repeat(40),
        ASTERISK_MONITOR_DIR: '/srv/pbx1/spool/monitor/',
      }).asteriskMonitorDir;
      const res = await get(S09, op101, { headers: { range: 'bytes=0-99' } });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes 0-99/${AUDIO.length}`);
      expect((await bytes(res)).equals(AUDIO.subarray(0, 100))).toBe(true);
      // Asterisk's own directory is then a directory like any other: outside.
      await setPath(S09, `/var/spool/asterisk/monitor/${S01_FILE}`);
      expect((await get(S09, op101)).status).toBe(400);
    } finally {
      kit.config.asteriskMonitorDir = before;
    }
  });

  it('ASTERISK_MONITOR_DIR defaults to Asterisk’s directory and must be absolute', () => {
    const base = { JWT_SECRET: 'x'.repeat(40) };
    expect(loadApiConfig(base).asteriskMonitorDir).toBe('/var/spool/asterisk/monitor');
    expect(loadApiConfig({ ...base, ASTERISK_MONITOR_DIR: '/srv/mon//' }).asteriskMonitorDir).toBe(
      '/srv/mon',
    );
    expect(() => loadApiConfig({ ...base, ASTERISK_MONITOR_DIR: 'spool/monitor' })).toThrow(
      /ASTERISK_MONITOR_DIR: must be an absolute path/,
    );
    expect(() => loadApiConfig({ ...base, ASTERISK_MONITOR_DIR: '/srv/../etc' })).toThrow(
      /ASTERISK_MONITOR_DIR/,
    );
  });

  it('uses the recordings list when recording_path is empty', async () => {
    put('from-list.ogg', Buffer.from('OggS'));
    await setPath(S09, null, ['from-list.ogg']);
    const res = await get(S09, op101);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/ogg');
  });

  it('404 saying so when the call has no recording', async () => {
    await setPath(S09, null, []);
    const res = await get(S09, op101);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toBe(`call ${ids[S09]} has no recording`);
  });

  it('404 with the file name when the file is not on the server', async () => {
    await setPath(S09, '/var/spool/asterisk/monitor/20261121-000000-in-gone.wav');
    const res = await get(S09, op101);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: 'not_found',
      message: 'the recording 20261121-000000-in-gone.wav is not on the server',
    });
    // A directory is not a recording either.
    put('a-dir/inner.wav', 'x');
    await setPath(S09, 'a-dir');
    expect((await get(S09, op101)).status).toBe(404);
  });

  it('never serves a path outside the recordings directory', async () => {
    const root = kit.config.recordingsDir;
    // A file beside the root whose directory shares the root's name as a prefix.
    const sibling = `${root}-evil`;
    mkdirSync(sibling, { recursive: true });
    writeFileSync(join(sibling, 'secret.wav'), SECRET);
    writeFileSync(join(dirname(root), 'secret.wav'), SECRET);
    symlinkSync('/etc/passwd', join(root, 'passwd-link.wav'));
    symlinkSync(join(sibling, 'secret.wav'), join(root, 'sibling-link.wav'));
    symlinkSync('/etc', join(root, 'etc-dir'));
    symlinkSync(dirname(root), join(root, 'up-dir'));

    const attempts = [
      '../../etc/passwd',
      '/etc/passwd',
      '../secret.wav',
      `${root}/../secret.wav`,
      `${sibling}/secret.wav`,
      '/var/spool/asterisk/monitor/../../../../etc/passwd',
      '/var/spool/asterisk/monitor/../secret.wav',
      'sub/../../secret.wav',
      '..\\secret.wav',
      'passwd-link.wav',
      'sibling-link.wav',
      'etc-dir/passwd',
      'up-dir/secret.wav',
      '/var/spool/asterisk/monitor/passwd-link.wav',
      '..',
      '.',
      '/var/spool/asterisk/monitor/',
    ];
    for (const path of attempts) {
      await setPath(S11, path);
      for (const token of [admin, op101]) {
        const res = await get(S11, token, { query: token === admin ? '?download=true' : '' });
        const body = await res.text();
        expect([400, 404], path).toContain(res.status);
        expect(body, path).not.toContain('root:');
        expect(body, path).not.toContain(SECRET);
        expect(JSON.parse(body).error, path).toMatch(/^(bad_request|not_found)$/);
      }
    }
    expect(await auditRows('recording_listen', S11)).toHaveLength(0);
    expect(await auditRows('recording_download', S11)).toHaveLength(0);
  });

  it('follows a symlink that stays inside the root', async () => {
    symlinkSync(join(kit.config.recordingsDir, S01_FILE), join(kit.config.recordingsDir, 'inside-link.wav'));
    await setPath(S11, 'inside-link.wav');
    const res = await get(S11, op101);
    expect(res.status).toBe(200);
    expect((await bytes(res)).equals(AUDIO)).toBe(true);
  });
});

describe('GET /calls/{id}/recording: the audit log', () => {
  it('writes recording_listen for a request from byte 0 only, with the call and the ip', async () => {
    const before = (await auditRows('recording_listen', S01)).length;
    expect(before).toBeGreaterThan(0); // the plays above
    await (
      await get(S01, op101, { headers: { range: 'bytes=100-199', 'x-forwarded-for': '198.51.100.7' } })
    ).arrayBuffer();
    await (
      await get(S01, op101, { headers: { range: 'bytes=-10', 'x-forwarded-for': '198.51.100.7' } })
    ).arrayBuffer();
    expect(await auditRows('recording_listen', S01)).toHaveLength(before);
    await (
      await get(S01, op101, { headers: { range: 'bytes=0-99', 'x-forwarded-for': '198.51.100.7' } })
    ).arrayBuffer();
    await (await get(S01, op101, { headers: { 'x-forwarded-for': '198.51.100.8' } })).arrayBuffer();
    const rows = await auditRows('recording_listen', S01);
    expect(rows).toHaveLength(before + 2);
    expect(rows.slice(-2).map((r) => [r.login, r.ip, r.target])).toEqual([
      ['rec-op101', '198.51.100.7', `call:${ids[S01]}`],
      ['rec-op101', '198.51.100.8', `call:${ids[S01]}`],
    ]);
    expect(rows.at(-1)?.user_id).toBeTypeOf('number');
  });

  it('writes nothing for refused requests', async () => {
    const listens = (await auditRows('recording_listen', S04)).length;
    await get(S04, op101);
    await get(S01, op101, { headers: { range: 'bytes=99999-' } });
    expect(await auditRows('recording_listen', S04)).toHaveLength(listens);
    expect(listens).toBe(0);
  });
});
