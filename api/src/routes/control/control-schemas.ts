import { z } from '@hono/zod-openapi';
import { normalisePhoneNumber } from '../../callbacks/phone-number.ts';

/**
 * Request and response schemas of `/control/...` (call control through ARI, README.md "Live calls").
 *
 * A number to dial or transfer to is either an internal extension (2–6 digits: `102`, `*43`) or a
 * phone number libphonenumber-js finds possible in the default region (`89161234567`,
 * `+7 916 123-45-67`); spaces, dashes and brackets are removed and the dialplan (context
 * `operators`, asterisk/etc/extensions.conf) routes what remains.
 */

const EXTENSION = /^[*#]?[0-9]{2,6}$/;

/** Digits (and a leading + or *) of a dial string as people type it. */
export const dialString = z
  .string()
  .trim()
  .min(2, 'a number or an extension')
  .max(32, 'at most 32 characters')
  .transform((v) => v.replace(/[\s\-().]/g, ''))
  .refine((v) => /^[+*#]?[0-9]+$/.test(v), 'digits only (a leading + or * allowed)')
  .refine(
    (v) => EXTENSION.test(v) || normalisePhoneNumber(v) !== null,
    'not a possible phone number or extension',
  )
  .openapi({ example: '89161234567' });

/**
 * `POST /control/originate` body: the number or extension to call from your own phone (see
 * {@link dialString}: separators dropped, a possible phone number or a 2-6 digit extension).
 */
export const OriginateBody = z
  .strictObject({ number: dialString })
  .openapi('OriginateBody', { description: 'the number (or extension) to call from your own phone' });

/** `POST /control/channels/{channelId}/transfer` body: the extension or number to transfer to. */
export const TransferBody = z.strictObject({ to: dialString }).openapi('TransferBody', {
  description: 'where to send the caller (blind transfer): an extension or a number',
});

/** `/control/channels/{channelId}` path: an Asterisk channel id (uniqueid). */
export const ChannelParam = z.object({
  channelId: z
    .string()
    .regex(/^[0-9A-Za-z._-]{1,64}$/, 'an Asterisk channel id (uniqueid, e.g. 1795234909.1)')
    .openapi({ param: { name: 'channelId', in: 'path' }, example: '1795234909.1' }),
});

/**
 * What a call-control route did: the channel acted on (for originate, your new channel) and the
 * action.
 */
export const ControlResult = z
  .object({
    channelId: z.string().openapi({ description: 'the channel acted on (for originate: your new channel)' }),
    action: z.enum(['originate', 'hold', 'unhold', 'hangup', 'transfer', 'listen']),
  })
  .openapi('ControlResult');

/**
 * `POST /control/listen` body: the operator (`app.operators.id`, as GET /live/wallboard and
 * GET /presence give it) and how to join: `listen` (hear both sides, silent), `whisper` (talk to
 * the operator only), `barge` (talk to both).
 */
export const ListenBody = z
  .strictObject({
    operator_id: z.number().int().positive().openapi({ example: 3 }),
    mode: z.enum(['listen', 'whisper', 'barge']).default('listen'),
  })
  .openapi('ListenBody', {
    description: 'the operator whose call to listen to, and whether to whisper or barge in',
  });

/** What `POST /control/listen` started: the listener's new channel and the channel listened to. */
export const ListenResult = z
  .object({
    channelId: z.string().openapi({ description: "the listener's new channel (their phone rings)" }),
    action: z.literal('listen'),
    listenedChannel: z
      .string()
      .openapi({ description: "the operator's channel", example: 'PJSIP/101-0000002a' }),
    mode: z.enum(['listen', 'whisper', 'barge']),
  })
  .openapi('ListenResult');
