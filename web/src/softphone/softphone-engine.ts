import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  Session,
  SessionState,
  UserAgent,
  Web,
} from 'sip.js';
import type { UsableSoftphoneSettings } from './softphone-settings.ts';
import type { SoftphoneEvent } from './softphone-state.ts';

/**
 * The SIP side of the softphone, on SIP.js's `UserAgent`/`Registerer`/`Inviter`/`Session` (not
 * `SimpleUser`, which handles one call and cannot transfer: docs/architecture.md#known-sharp-edges). It registers over WSS
 * with the credentials of `GET /me/softphone`, and reports everything that happens as
 * `SoftphoneEvent`s (softphone-state.ts), which the UI reduces; commands take SIP.js session ids.
 *
 * - Hold/unhold: a re-INVITE with the SDP direction set by the session description handler
 *   (`hold: true` → sendonly), media tracks disabled while held.
 * - Blind transfer: `session.refer(target)`; Asterisk (chan_pjsip) bridges the caller to the
 *   target and hangs our leg up; a final 2xx NOTIFY also ends it from here.
 * - Attended transfer: the caller is held, a second `Inviter` calls the target, then
 *   `callerSession.refer(consultSession)` sends REFER with `Replaces` so the caller replaces us
 *   in the consultation dialog.
 * - DTMF: RFC 4733 through the peer connection's RTCDTMFSender (Asterisk's default
 *   `dtmf_mode=rfc4733`); SIP INFO when the sender is unavailable.
 * - The transport reconnects after 1, 2, 4 … 30 s; registration is re-sent on every connect.
 */

export interface AudioChoice {
  /** `deviceId` of the microphone, or null for the default one. */
  inputId: string | null;
  /** `deviceId` of the speaker (HTMLMediaElement.setSinkId), or null for the default one. */
  outputId: string | null;
}

export interface SoftphoneEngineOptions {
  settings: UsableSoftphoneSettings;
  dispatch: (event: SoftphoneEvent) => void;
  audio: () => AudioChoice;
  now?: () => number;
}

/** The SIP URI to call for what the user dialled: an extension or number at our registrar's domain. */
export function targetUri(dialled: string, ownSipUri: string): string {
  const host = ownSipUri.replace(/^sips?:/, '').split('@')[1] ?? '';
  return `sip:${dialled}@${host}`;
}

/** A rejected INVITE's status as an end reason: `busy`, `declined`, `unavailable`, or `code phrase`. */
export function rejectionReason(statusCode: number, reasonPhrase: string): string {
  if (statusCode === 486 || statusCode === 600) return 'busy';
  if (statusCode === 603) return 'declined';
  if (statusCode === 480 || statusCode === 404) return 'unavailable';
  if (statusCode === 487) return 'canceled';
  return `${statusCode} ${reasonPhrase}`.trim();
}

export class SoftphoneEngine {
  private ua: UserAgent | null = null;
  private registerer: Registerer | null = null;
  private readonly sessions = new Map<string, Session>();
  private readonly consultOf = new Map<string, string>();
  private readonly endReasons = new Map<string, string>();
  private readonly players = new Map<string, HTMLAudioElement>();
  private readonly held = new Set<string>();
  private readonly muted = new Set<string>();
  private reconnectTimer: number | null = null;
  private reconnectAttempts = 0;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: SoftphoneEngineOptions) {
    this.now = options.now ?? Date.now;
  }

  private emit(event: SoftphoneEvent): void {
    this.options.dispatch(event);
  }

  /** Connects and registers. Problems are reported as registration events, never thrown. */
  async start(): Promise<void> {
    const { settings } = this.options;
    const uri = UserAgent.makeURI(settings.sipUri);
    if (!uri) {
      this.emit({ type: 'registration', state: 'failed', detail: `invalid SIP URI ${settings.sipUri}` });
      return;
    }
    if (typeof RTCPeerConnection === 'undefined') {
      this.emit({ type: 'registration', state: 'failed', detail: 'this browser has no WebRTC' });
      return;
    }
    const ua = new UserAgent({
      uri,
      transportOptions: { server: settings.wsServer },
      authorizationUsername: settings.authorizationUsername,
      authorizationPassword: settings.authorizationPassword,
      ...(settings.displayName ? { displayName: settings.displayName } : {}),
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: settings.iceServers },
        iceGatheringTimeout: 2000,
      },
      logBuiltinEnabled: false,
      userAgentString: 'callcenter-softphone (SIP.js)',
      delegate: {
        onConnect: () => this.onConnect(),
        onDisconnect: (error) => this.onDisconnect(error),
        onInvite: (invitation) => this.onInvite(invitation),
      },
    });
    this.ua = ua;
    const registerer = new Registerer(ua, { expires: 300 });
    this.registerer = registerer;
    registerer.stateChange.addListener((state) => {
      if (this.stopped) return;
      if (state === RegistererState.Registered) {
        this.reconnectAttempts = 0;
        this.emit({ type: 'registration', state: 'registered' });
      } else if (state === RegistererState.Unregistered)
        this.emit({ type: 'registration', state: 'unregistered' });
    });
    this.emit({ type: 'registration', state: 'connecting' });
    try {
      await ua.start();
    } catch (error) {
      this.emit({ type: 'registration', state: 'disconnected', detail: messageOf(error) });
      this.scheduleReconnect();
    }
  }

  /** Unregisters, hangs up every call and closes the transport. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer !== null) window.clearTimeout(this.reconnectTimer);
    for (const id of [...this.sessions.keys()]) this.hangup(id);
    try {
      if (this.registerer?.state === RegistererState.Registered) await this.registerer.unregister();
    } catch {
      // The transport may be gone already.
    }
    await this.ua?.stop().catch(() => {});
    for (const player of this.players.values()) player.srcObject = null;
    this.players.clear();
  }

  private onConnect(): void {
    if (this.stopped || !this.registerer) return;
    this.emit({ type: 'registration', state: 'registering' });
    this.registerer
      .register({
        requestDelegate: {
          onReject: (response) =>
            this.emit({
              type: 'registration',
              state: 'unregistered',
              detail: `${response.message.statusCode} ${response.message.reasonPhrase}`,
            }),
        },
      })
      .catch((error: unknown) =>
        this.emit({ type: 'registration', state: 'unregistered', detail: messageOf(error) }),
      );
  }

  private onDisconnect(error?: Error): void {
    if (this.stopped) return;
    this.emit({
      type: 'registration',
      state: 'disconnected',
      detail: error ? messageOf(error) : null,
    });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== null) return;
    this.reconnectAttempts++;
    const delay = Math.min(30_000, 1000 * 2 ** (this.reconnectAttempts - 1));
    this.reconnectTimer = window.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopped || !this.ua) return;
      this.emit({ type: 'registration', state: 'connecting' });
      this.ua.reconnect().catch((error: unknown) => {
        this.emit({ type: 'registration', state: 'disconnected', detail: messageOf(error) });
        this.scheduleReconnect();
      });
    }, delay);
  }

  private onInvite(invitation: Invitation): void {
    const identity = invitation.remoteIdentity;
    this.emit({
      type: 'incoming',
      id: invitation.id,
      remote: identity.uri.user ?? identity.uri.toString(),
      remoteName: identity.displayName || null,
      at: this.now(),
    });
    this.track(invitation);
  }

  private track(session: Session): void {
    this.sessions.set(session.id, session);
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        this.emit({ type: 'established', id: session.id, at: this.now() });
        this.playRemote(session);
      } else if (state === SessionState.Terminated) {
        this.emit({
          type: 'ended',
          id: session.id,
          at: this.now(),
          reason: this.endReasons.get(session.id) ?? 'hangup',
        });
        this.forget(session.id);
      }
    });
  }

  private forget(id: string): void {
    this.sessions.delete(id);
    this.consultOf.delete(id);
    this.endReasons.delete(id);
    this.held.delete(id);
    this.muted.delete(id);
    const player = this.players.get(id);
    if (player) player.srcObject = null;
    this.players.delete(id);
  }

  private constraints(): MediaStreamConstraints {
    const { inputId } = this.options.audio();
    return { audio: inputId ? { deviceId: { exact: inputId } } : true, video: false };
  }

  private handler(session: Session): Web.SessionDescriptionHandler | null {
    const sdh = session.sessionDescriptionHandler;
    return sdh instanceof Web.SessionDescriptionHandler ? sdh : null;
  }

  private playRemote(session: Session): void {
    const sdh = this.handler(session);
    if (!sdh) return;
    const player = this.players.get(session.id) ?? new Audio();
    player.autoplay = true;
    player.srcObject = sdh.remoteMediaStream;
    this.players.set(session.id, player);
    void this.applyOutput(player);
    void player.play().catch(() => {});
  }

  private async applyOutput(player: HTMLAudioElement): Promise<void> {
    const { outputId } = this.options.audio();
    const withSink = player as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (withSink.setSinkId) await withSink.setSinkId(outputId ?? '').catch(() => {});
  }

  /** Applies a new microphone and speaker choice to the calls in progress. */
  async applyAudio(): Promise<void> {
    for (const player of this.players.values()) await this.applyOutput(player);
    const established = [...this.sessions.values()].filter((s) => s.state === SessionState.Established);
    if (established.length === 0) return;
    for (const session of established) {
      const sdh = this.handler(session);
      const pc = sdh?.peerConnection;
      if (!sdh || !pc) continue;
      const stream = await navigator.mediaDevices.getUserMedia(this.constraints());
      const track = stream.getAudioTracks()[0];
      if (!track) continue;
      track.enabled = !this.held.has(session.id) && !this.muted.has(session.id);
      for (const sender of pc.getSenders())
        if (sender.track?.kind === 'audio') await sender.replaceTrack(track);
    }
  }

  private session(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`no call ${id}`);
    return session;
  }

  /** Answers an incoming call. */
  async answer(id: string): Promise<void> {
    const session = this.session(id);
    if (!(session instanceof Invitation)) throw new Error('only an incoming call can be answered');
    await session.accept({ sessionDescriptionHandlerOptions: { constraints: this.constraints() } });
  }

  /** Declines an incoming call (603 Decline: Asterisk logs the ring as declined). */
  async decline(id: string): Promise<void> {
    const session = this.session(id);
    if (!(session instanceof Invitation)) throw new Error('only an incoming call can be declined');
    this.endReasons.set(id, 'declined');
    await session.reject({ statusCode: 603, reasonPhrase: 'Decline' });
  }

  /** Ends a call in any phase: CANCEL while ringing out, reject while ringing in, BYE once up. */
  hangup(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    if (!this.endReasons.has(id)) this.endReasons.set(id, 'hangup');
    const fail = (error: unknown) => console.warn('softphone: hang-up failed', error);
    switch (session.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        if (session instanceof Inviter) session.cancel().catch(fail);
        else if (session instanceof Invitation) session.reject().catch(fail);
        break;
      case SessionState.Established:
        session.bye().catch(fail);
        break;
      default:
    }
  }

  /**
   * Calls `dialled` (an extension or a number, cleaned by normaliseDialString); returns the new
   * call's id. `consultFor`: this is the consultation leg of an attended transfer of that call.
   */
  async dial(dialled: string, consultFor: string | null = null): Promise<string> {
    if (!this.ua) throw new Error('the softphone is not started');
    const target = UserAgent.makeURI(targetUri(dialled, this.options.settings.sipUri));
    if (!target) throw new Error(`cannot call ${dialled}`);
    const inviter = new Inviter(this.ua, target, {
      sessionDescriptionHandlerOptions: { constraints: this.constraints() },
    });
    this.emit({ type: 'dialing', id: inviter.id, remote: dialled, at: this.now(), consultFor });
    if (consultFor) this.consultOf.set(inviter.id, consultFor);
    this.track(inviter);
    await inviter
      .invite({
        requestDelegate: {
          onReject: (response) =>
            this.endReasons.set(
              inviter.id,
              rejectionReason(response.message.statusCode ?? 0, response.message.reasonPhrase ?? ''),
            ),
        },
      })
      .catch((error: unknown) => {
        this.endReasons.set(inviter.id, `failed: ${messageOf(error)}`);
        throw error;
      });
    return inviter.id;
  }

  /** Puts a call on hold (re-INVITE, sendonly) or takes it off hold. */
  async hold(id: string, hold: boolean): Promise<void> {
    const session = this.session(id);
    if (session.state !== SessionState.Established) throw new Error('the call is not established');
    const before = session.sessionDescriptionHandlerOptionsReInvite;
    const options: Web.SessionDescriptionHandlerOptions = { ...before, hold };
    session.sessionDescriptionHandlerOptionsReInvite = options;
    await new Promise<void>((resolve, reject) => {
      session
        .invite({
          requestDelegate: {
            onAccept: () => {
              if (hold) this.held.add(id);
              else this.held.delete(id);
              this.applyTracks(session);
              this.emit({ type: 'held', id, held: hold });
              resolve();
            },
            onReject: (response) => {
              session.sessionDescriptionHandlerOptionsReInvite = before;
              reject(
                new Error(`hold refused: ${response.message.statusCode} ${response.message.reasonPhrase}`),
              );
            },
          },
        })
        .catch((error: unknown) => {
          session.sessionDescriptionHandlerOptionsReInvite = before;
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  }

  /** Mutes or unmutes the microphone on a call (local only: no signalling). */
  mute(id: string, muted: boolean): void {
    const session = this.session(id);
    if (muted) this.muted.add(id);
    else this.muted.delete(id);
    this.applyTracks(session);
    this.emit({ type: 'muted', id, muted });
  }

  private applyTracks(session: Session): void {
    const sdh = this.handler(session);
    if (!sdh) return;
    const held = this.held.has(session.id);
    sdh.enableReceiverTracks(!held);
    sdh.enableSenderTracks(!held && !this.muted.has(session.id));
  }

  /** Sends one DTMF tone (0-9, *, #, A-D). */
  async dtmf(id: string, tone: string): Promise<void> {
    if (!/^[0-9A-D#*]$/.test(tone)) throw new Error(`not a DTMF tone: ${tone}`);
    const session = this.session(id);
    const sdh = this.handler(session);
    if (sdh?.sendDtmf(tone)) return;
    await session.info({
      requestOptions: {
        body: {
          contentDisposition: 'render',
          contentType: 'application/dtmf-relay',
          content: `Signal=${tone}\r\nDuration=160`,
        },
      },
    });
  }

  /** Blind transfer: REFER the other party to `dialled`. */
  async blindTransfer(id: string, dialled: string): Promise<void> {
    const session = this.session(id);
    const target = UserAgent.makeURI(targetUri(dialled, this.options.settings.sipUri));
    if (!target) throw new Error(`cannot transfer to ${dialled}`);
    await this.refer(session, target);
  }

  /** Attended transfer, step 1: hold the caller and call the target; returns the new call's id. */
  async startConsult(id: string, dialled: string): Promise<string> {
    const session = this.session(id);
    if (!this.held.has(id)) await this.hold(id, true);
    if (session.state !== SessionState.Established) throw new Error('the call ended');
    return this.dial(dialled, id);
  }

  /** Attended transfer, step 2 (from the consultation leg): REFER the caller with Replaces. */
  async completeTransfer(consultId: string): Promise<void> {
    const primaryId = this.consultOf.get(consultId);
    if (!primaryId) throw new Error('not a consultation call');
    const primary = this.session(primaryId);
    const consult = this.session(consultId);
    this.endReasons.set(consultId, 'transferred');
    await this.refer(primary, consult);
  }

  private async refer(session: Session, target: Parameters<Session['refer']>[0]): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      session
        .refer(target, {
          requestDelegate: {
            onAccept: () => {
              this.endReasons.set(session.id, 'transferred');
              resolve();
            },
            onReject: (response) =>
              reject(
                new Error(
                  `transfer refused: ${response.message.statusCode} ${response.message.reasonPhrase}`,
                ),
              ),
          },
          onNotify: (notification) => {
            notification.accept().catch(() => {});
            // sipfrag "SIP/2.0 200 OK": the target answered; our legs are done.
            if (/^SIP\/2\.0 2\d\d/.test(notification.request.body ?? ''))
              this.hangupAfterTransfer(session, target);
          },
        })
        .catch((error: unknown) => reject(error instanceof Error ? error : new Error(String(error))));
    });
  }

  private hangupAfterTransfer(session: Session, target: Parameters<Session['refer']>[0]): void {
    for (const leg of target instanceof Session ? [session, target] : [session]) {
      if (leg.state === SessionState.Established) leg.bye().catch(() => {});
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
