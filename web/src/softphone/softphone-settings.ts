import { z } from 'zod';
import { ApiRequestError, apiJson } from '../api/http.ts';

/**
 * The signed-in operator's SIP account as `GET /me/softphone` delivers it: the WSS address of
 * Asterisk's HTTP server (`wss://pbx:8089/ws`), the endpoint's AOR URI, the digest credentials
 * and the ICE servers. `configured: false` when this user has no endpoint or the server has no
 * softphone settings (the demo: no Asterisk runs).
 */
export const SoftphoneSettings = z.object({
  configured: z.boolean(),
  wsServer: z.string().nullable().optional(),
  sipUri: z.string().nullable().optional(),
  authorizationUsername: z.string().nullable().optional(),
  authorizationPassword: z.string().nullable().optional(),
  displayName: z.string().nullable().optional(),
  iceServers: z
    .array(
      z.object({
        urls: z.union([z.string(), z.array(z.string())]),
        username: z.string().optional(),
        credential: z.string().optional(),
      }),
    )
    .default([]),
});
export type SoftphoneSettings = z.output<typeof SoftphoneSettings>;

/** Settings that can actually register (every connection field present). */
export interface UsableSoftphoneSettings {
  wsServer: string;
  sipUri: string;
  authorizationUsername: string;
  authorizationPassword: string;
  displayName: string | null;
  iceServers: RTCIceServer[];
}

/** The usable settings, or why there are none (an i18n key of the `operator` namespace). */
export type SoftphoneSettingsResult =
  | { usable: true; settings: UsableSoftphoneSettings }
  | {
      usable: false;
      reason:
        | 'softphone.notConfigured'
        | 'softphone.notProvided'
        | 'softphone.noEndpoint'
        | 'softphone.invalidSettings';
    };

/** Decides what `GET /me/softphone` allows (pure: tested). */
export function usableSettings(settings: SoftphoneSettings): SoftphoneSettingsResult {
  if (!settings.configured) return { usable: false, reason: 'softphone.notConfigured' };
  const { wsServer, sipUri, authorizationUsername, authorizationPassword } = settings;
  if (!wsServer || !/^wss?:\/\//.test(wsServer) || !sipUri?.startsWith('sip:') || !authorizationUsername)
    return { usable: false, reason: 'softphone.invalidSettings' };
  return {
    usable: true,
    settings: {
      wsServer,
      sipUri,
      authorizationUsername,
      authorizationPassword: authorizationPassword ?? '',
      displayName: settings.displayName ?? null,
      iceServers: settings.iceServers,
    },
  };
}

/**
 * Fetches and judges the settings. 409 (the user has no endpoint) → `noEndpoint`; 404 (the
 * endpoint is not a registered operator, or an API without the route) → `notProvided`; other
 * errors throw ApiRequestError.
 */
export async function fetchSoftphoneSettings(): Promise<SoftphoneSettingsResult> {
  try {
    return usableSettings(SoftphoneSettings.parse(await apiJson('/me/softphone')));
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 409)
      return { usable: false, reason: 'softphone.noEndpoint' };
    if (error instanceof ApiRequestError && error.status === 404)
      return { usable: false, reason: 'softphone.notProvided' };
    if (error instanceof z.ZodError) return { usable: false, reason: 'softphone.invalidSettings' };
    throw error;
  }
}
