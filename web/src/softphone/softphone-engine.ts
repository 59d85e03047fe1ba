import { Invitation, Inviter, Session, SessionState, UserAgent, type Web } from 'sip.js';
import { type AudioChoice, CallAudio } from './call-audio.ts';
import { messageOf, rejectionReason } from './call-end-reason.ts';
import { SipRegistration } from './sip-registration.ts';
import { targetUri } from './sip-target.ts';
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

/**
 * What the engine runs with: the SIP account (`GET /me/softphone`), where its events go (the
 * UI's reducer), the audio choice (read at each use) and a clock (ms, for tests).
 */
export interface SoftphoneEngineOptions {
  settings: UsableSoftphoneSettings;
  dispatch: (event: SoftphoneEvent) => void;
  audio: () => AudioChoice;
  now?: () => number;
}

/**
 * One browser phone (see above). `start()`/`stop()` register and unregister; the call commands
 * take SIP.js session ids and throw an Error when the call is unknown or in the wrong phase.
 */
export class SoftphoneEngine {
  private readonly sessions = new Map<string, Session>();
  private readonly consultOf = new Map<string, string>();
  private readonly endReasons = new Map<string, string>();
  private readonly held = new Set<string>();
  private readonly muted = new Set<string>();
  private readonly now: () => number;
  private readonly media: CallAudio;
  private readonly registration: SipRegistration;

  constructor(private readonly options: SoftphoneEngineOptions) {
    this.now = options.now ?? Date.now;
    this.media = new CallAudio(options.audio);
    this.registration = new SipRegistration(
      options.settings,
      (event) => this.emit(event),
      (invitation) => this.onInvite(invitation),
    );
  }

  private emit(event: SoftphoneEvent): void {
    this.options.dispatch(event);
  }

  /** Connects and registers. Problems are reported as registration events, never thrown. */
  start(): Promise<void> {
    return this.registration.start();
  }

  /** Hangs up every call, unregisters and closes the transport. */
  async stop(): Promise<void> {
    for (const id of [...this.sessions.keys()]) this.hangup(id);
    await this.registration.stop();
    this.media.releaseAll();
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
        this.media.playRemote(session);
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
    this.media.release(id);
  }

  /** Applies a new microphone and speaker choice to the calls in progress. */
  async applyAudio(): Promise<void> {
    await this.media.applyChoice(this.sessions.values(), (id) => this.held.has(id) || this.muted.has(id));
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
    await session.accept({ sessionDescriptionHandlerOptions: { constraints: this.media.constraints() } });
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
    const ua = this.registration.userAgent;
    if (!ua) throw new Error('the softphone is not started');
    const target = UserAgent.makeURI(targetUri(dialled, this.options.settings.sipUri));
    if (!target) throw new Error(`cannot call ${dialled}`);
    const inviter = new Inviter(ua, target, {
      sessionDescriptionHandlerOptions: { constraints: this.media.constraints() },
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
    this.media.applyTracks(session, this.held.has(session.id), this.muted.has(session.id));
  }

  /** Sends one DTMF tone (0-9, *, #, A-D). */
  async dtmf(id: string, tone: string): Promise<void> {
    if (!/^[0-9A-D#*]$/.test(tone)) throw new Error(`not a DTMF tone: ${tone}`);
    const session = this.session(id);
    const sdh = this.media.handler(session);
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
