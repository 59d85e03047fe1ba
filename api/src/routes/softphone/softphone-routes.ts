import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { audit } from '../../audit/audit-log.ts';
import { clientIp } from '../../auth/request-origin.ts';
import { ApiError, notFound } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { errorResponses } from '../dictionaries/route-schemas.ts';

/**
 * `GET /me/softphone`: what the signed-in user's browser phone (SIP.js over WSS) needs to
 * register as their PJSIP endpoint — the WebSocket server (`SIP_WSS_URL`), the SIP URI
 * (`sip:<endpoint>@<SIP_DOMAIN>`), the digest credentials (username = endpoint, password =
 * app.operators.sip_secret, sql/postgres/004_operator_sip.sql) and the ICE servers (`STUN_URLS`).
 * `configured` is false — and no credential is handed out — when the WSS URL, the domain or the
 * secret is missing (the demo has no Asterisk: the web says "not connected"). 409 for a user
 * without an endpoint, 404 when the endpoint is not a registered operator. Every read that hands
 * out a secret is audited (`softphone_credentials`).
 */

const IceServer = z.object({ urls: z.union([z.string(), z.array(z.string())]) });

const Softphone = z
  .object({
    configured: z.boolean(),
    wsServer: z.string().nullable().openapi({ example: 'wss://pbx.clinic.example:8089/ws' }),
    sipUri: z.string().nullable().openapi({ example: 'sip:101@pbx.clinic.example' }),
    authorizationUsername: z.string().nullable(),
    authorizationPassword: z.string().nullable(),
    displayName: z.string(),
    iceServers: z.array(IceServer),
  })
  .openapi('Softphone');

const softphoneRoute = createRoute({
  method: 'get',
  path: '/me/softphone',
  tags: ['softphone'],
  security: [{ bearer: [] }],
  summary: "Your browser phone's SIP settings and credentials",
  responses: {
    200: { description: 'the settings', content: { 'application/json': { schema: Softphone } } },
    ...errorResponses(401, 404, 409),
  },
});

/** Mount with `app.route('/', softphoneRoutes(deps))`. */
export function softphoneRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('/me/softphone', authenticate({ secret: deps.config.jwtSecret }));
  return app.openapi(softphoneRoute, async (c) => {
    const user = c.get('user');
    if (!user.endpoint)
      throw new ApiError(409, 'no_endpoint', 'your user has no phone endpoint: ask an admin to assign one');
    const operator = await deps.db
      .selectFrom('app.operators')
      .select(['name', 'sip_secret'])
      .where('server_id', '=', user.serverId)
      .where('endpoint', '=', user.endpoint)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!operator)
      throw notFound(`endpoint ${user.endpoint} is not a registered operator on ${user.serverId}`);
    const settings = deps.config.softphone ?? { wssUrl: null, domain: null, iceServers: [] };
    const configured = Boolean(settings.wssUrl && settings.domain && operator.sip_secret);
    if (configured) {
      await audit(deps.db, {
        user,
        action: 'softphone_credentials',
        target: `endpoint:${user.endpoint}`,
        ip: clientIp(c),
      });
    }
    return c.json(
      {
        configured,
        wsServer: settings.wssUrl,
        sipUri: settings.domain ? `sip:${user.endpoint}@${settings.domain}` : null,
        authorizationUsername: configured ? user.endpoint : null,
        authorizationPassword: configured ? operator.sip_secret : null,
        displayName: operator.name,
        iceServers: settings.iceServers,
      },
      200,
    );
  });
}
