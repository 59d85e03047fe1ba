import { AriRequestError, type AriRestClient } from '@callcenter/asterisk/ari';
import { parseChannelName } from '@callcenter/ingest/reconcile';
import type { AuthUser } from '../../auth/auth-user.ts';
import type { AriSettings } from '../../config/api-config.ts';
import { ApiError, forbidden } from '../../errors/api-error.ts';

/**
 * Call control through ARI (README.md, "Live calls") with the role rules:
 *
 * - a user controls the channels of their own endpoint (`PJSIP/<endpoint>-…` on their server),
 *   whatever their role — an operator only those;
 * - an admin may act on any channel (ending a stuck call); a supervisor without their own
 *   endpoint controls nothing;
 * - listening in (Asterisk's ChanSpy: listen, whisper to the operator, barge) rings the
 *   supervisor's or admin's own phone and spies on an operator of their scope ({@link
 *   CallControl.listen});
 * - ownership is checked against Asterisk itself (`GET /channels/{id}`), so it holds whichever
 *   process saw the channel's events.
 *
 * Asterisk's answers become the API's errors: 404 channel gone; 409 when Asterisk refuses
 * (`Channel not in Stasis application`: hold and transfer through ARI need the call to run in the
 * ARI application — asterisk/etc/extensions.conf; `Channel in invalid state` while it rings); 502
 * when ARI is unreachable or fails.
 */

export const ARI_UNAVAILABLE_MESSAGE =
  'call control needs Asterisk ARI: set ARI_URL, ARI_USERNAME and ARI_PASSWORD (ari.conf) for the API';

/** Maps an ARI failure to the API's error model. */
export function ariFailure(error: unknown, channelId: string): ApiError {
  if (!(error instanceof AriRequestError)) throw error;
  if (error.status === 0) return new ApiError(502, 'asterisk_unreachable', error.message);
  if (error.status === 404)
    return new ApiError(404, 'not_found', `no channel ${channelId} on Asterisk (hung up?)`);
  if (error.status === 409 || error.status === 412 || error.status === 422)
    return new ApiError(409, 'asterisk_refused', `Asterisk refused: ${error.message}`, {
      asteriskStatus: error.status,
    });
  if (error.status === 400)
    return new ApiError(400, 'bad_request', `Asterisk rejected the request: ${error.message}`);
  return new ApiError(502, 'asterisk_error', `Asterisk answered ${error.status}: ${error.message}`);
}

/** How a listener joins an operator's call: ChanSpy's options beside `qE` (extensions.conf [supervisor-listen]). */
export const LISTEN_MODES = {
  /** Hears both sides, is heard by nobody. */
  listen: '',
  /** Also talks to the operator only (ChanSpy `w`): coaching the caller does not hear. */
  whisper: 'w',
  /** Talks to both sides (ChanSpy `B`). */
  barge: 'B',
} as const;
export type ListenMode = keyof typeof LISTEN_MODES;

/** The operator to listen to, as presence-store.ts's findVisibleOperator gives them (already in scope). */
export interface ListenTarget {
  serverId: string;
  endpoint: string;
}

/**
 * Call control through ARI for the signed-in operator (`/control/…`): originate from their own
 * phone, hold, unhold, hang up and transfer a channel that belongs to their phone (another's
 * channel is a 404). ARI failures become the API's errors through {@link ariFailure}.
 */
export class CallControl {
  constructor(
    private readonly ari: AriRestClient,
    private readonly settings: AriSettings,
  ) {}

  /** The endpoint a user dials from; 409 when they have none on this server. */
  private ownEndpoint(user: AuthUser): string {
    if (!user.endpoint)
      throw new ApiError(409, 'no_endpoint', 'your user has no phone endpoint: ask an admin to assign one');
    if (user.serverId !== this.settings.serverId)
      throw new ApiError(
        409,
        'no_endpoint',
        `call control serves Asterisk server ${this.settings.serverId} only`,
      );
    return user.endpoint;
  }

  /** Checks that `user` may act on `channelId`; returns the channel's endpoint. */
  async assertControllable(user: AuthUser, channelId: string): Promise<string> {
    let name: string;
    try {
      name = (await this.ari.getChannel(channelId)).name;
    } catch (error) {
      throw ariFailure(error, channelId);
    }
    const parsed = parseChannelName(name);
    const endpoint = parsed.isLocal ? '' : parsed.endpoint;
    if (user.role === 'admin') return endpoint;
    if (user.endpoint && user.serverId === this.settings.serverId && endpoint === user.endpoint)
      return endpoint;
    throw forbidden(
      user.endpoint
        ? `channel ${channelId} is not on your phone (${user.endpoint})`
        : 'only the channels of your own phone can be controlled, and your user has no endpoint',
    );
  }

  /** Rings the user's own endpoint; once answered, the dialplan calls `number`. Returns the channel id. */
  async originate(user: AuthUser, number: string): Promise<string> {
    const endpoint = this.ownEndpoint(user);
    try {
      const channel = await this.ari.originate({
        endpoint: `PJSIP/${endpoint}`,
        extension: number,
        context: this.settings.dialContext,
        priority: 1,
        // What the operator's phone shows while it rings: the number it is about to call.
        callerId: `"${number}" <${number}>`,
        timeout: 30,
      });
      return channel.id;
    } catch (error) {
      throw ariFailure(error, `PJSIP/${endpoint}`);
    }
  }

  async hold(user: AuthUser, channelId: string, on: boolean): Promise<void> {
    await this.assertControllable(user, channelId);
    try {
      if (on) await this.ari.hold(channelId);
      else await this.ari.unhold(channelId);
    } catch (error) {
      throw ariFailure(error, channelId);
    }
  }

  async hangup(user: AuthUser, channelId: string): Promise<void> {
    await this.assertControllable(user, channelId);
    try {
      await this.ari.hangup(channelId);
    } catch (error) {
      throw ariFailure(error, channelId);
    }
  }

  /**
   * Blind transfer: the other party of the channel's bridge continues in the dialplan at
   * `<dialContext>,<to>,1`, then the operator's channel is hung up. 409 when the channel is in no
   * conversation.
   */
  async transfer(user: AuthUser, channelId: string, to: string): Promise<{ transferee: string }> {
    await this.assertControllable(user, channelId);
    let transferee: string | undefined;
    try {
      const bridges = await this.ari.listBridges();
      const bridge = bridges.find((b) => b.channels?.includes(channelId));
      transferee = bridge?.channels?.find((id) => id !== channelId);
    } catch (error) {
      throw ariFailure(error, channelId);
    }
    if (!transferee) throw new ApiError(409, 'not_bridged', `channel ${channelId} is not in a conversation`);
    try {
      await this.ari.continueInDialplan(transferee, this.settings.dialContext, to, 1);
    } catch (error) {
      throw ariFailure(error, transferee);
    }
    try {
      await this.ari.hangup(channelId);
    } catch (error) {
      // The caller is on the way to the target already; a channel that hung up itself is fine.
      if (!(error instanceof AriRequestError && error.status === 404)) throw ariFailure(error, channelId);
    }
    return { transferee };
  }

  /**
   * Listen-in: rings the user's own phone (`PJSIP/<endpoint>`); once answered, the dialplan
   * context `listenContext` (asterisk/etc/extensions.conf `[supervisor-listen]`, reached only
   * through ARI) runs `ChanSpy(PJSIP/<operator>-,qE<mode>)` — no beep, ends when the operator's
   * call ends (Asterisk's ChanSpy documentation). The caller of this method has checked that the
   * operator is in the user's scope. Returns the listener's channel id and the channel listened to.
   *
   * @throws ApiError 409 `no_endpoint` (the user has no phone here), 409 `not_in_call` (no
   *   answered channel of the operator's phone now), 400 `bad_request` (listening to yourself),
   *   and ARI failures through {@link ariFailure}.
   */
  async listen(
    user: AuthUser,
    target: ListenTarget,
    mode: ListenMode,
  ): Promise<{ channelId: string; listenedChannel: string }> {
    const endpoint = this.ownEndpoint(user);
    if (target.serverId !== this.settings.serverId)
      throw new ApiError(409, 'not_in_call', `operator ${target.endpoint} is on another Asterisk server`);
    if (target.endpoint === endpoint)
      throw new ApiError(400, 'bad_request', 'you cannot listen to your own phone');
    let channels: Awaited<ReturnType<AriRestClient['listChannels']>>;
    try {
      channels = await this.ari.listChannels();
    } catch (error) {
      throw ariFailure(error, `PJSIP/${target.endpoint}`);
    }
    const prefix = `PJSIP/${target.endpoint}-`;
    const talking = channels.find((channel) => channel.name.startsWith(prefix) && channel.state === 'Up');
    if (!talking) throw new ApiError(409, 'not_in_call', `operator ${target.endpoint} is not on a call now`);
    try {
      const channel = await this.ari.originate({
        endpoint: `PJSIP/${endpoint}`,
        extension: target.endpoint,
        context: this.settings.listenContext,
        priority: 1,
        // What the listener's phone shows while it rings: whom it will listen to.
        callerId: `"${target.endpoint}" <${target.endpoint}>`,
        timeout: 30,
        variables: { SPY_MODE: LISTEN_MODES[mode] },
      });
      return { channelId: channel.id, listenedChannel: talking.name };
    } catch (error) {
      throw ariFailure(error, `PJSIP/${endpoint}`);
    }
  }
}
