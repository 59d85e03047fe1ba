/**
 * Asks a running Asterisk to re-read the rendered files through ARI (`PUT
 * /ari/asterisk/modules/{module}` reloads one module): PJSIP endpoints and trunk, queue members,
 * dialplan, RTP settings. ARI_URL is the server's HTTP root (`http://asterisk:8088`); `/ari` is
 * appended unless present. Returns one line per module; throws when ARI cannot be reached or
 * refuses (the message names the module and HTTP status).
 */

export const RELOADED_MODULES = [
  'res_pjsip.so',
  'app_queue.so',
  'pbx_config.so',
  'res_rtp_asterisk.so',
] as const;

/** ARI's HTTP root and credentials (ARI_URL, ARI_USERNAME, ARI_PASSWORD). */
export interface AriAccess {
  url: string;
  username: string;
  password: string;
}

/**
 * Reloads {@link RELOADED_MODULES} one by one through ARI (see above); resolves with one line per
 * module.
 */
export async function reloadAsterisk(ari: AriAccess, fetchImpl: typeof fetch = fetch): Promise<string[]> {
  const base = ari.url.replace(/\/+$/, '');
  const root = base.endsWith('/ari') ? base : `${base}/ari`;
  const authorization = `Basic ${Buffer.from(`${ari.username}:${ari.password}`).toString('base64')}`;
  const lines: string[] = [];
  for (const module of RELOADED_MODULES) {
    const response = await fetchImpl(`${root}/asterisk/modules/${encodeURIComponent(module)}`, {
      method: 'PUT',
      headers: { authorization },
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status !== 204 && response.status !== 200)
      throw new Error(`ARI refused to reload ${module}: HTTP ${response.status} ${await response.text()}`);
    lines.push(`reloaded ${module}`);
  }
  return lines;
}
