import { type Invitation, Registerer, RegistererState, UserAgent } from 'sip.js';
import { messageOf } from './call-end-reason.ts';
import type { UsableSoftphoneSettings } from './softphone-settings.ts';
import type { SoftphoneEvent } from './softphone-state.ts';

/**
 * The softphone's SIP user agent and its registration: one `UserAgent` on the WSS transport of
 * `GET /me/softphone`, a `Registerer` (expiry 300 s) sent again on every connect, and a transport
 * that reconnects after 1, 2, 4 … 30 s for as long as it is not stopped. Everything is reported as
 * `registration` events (softphone-state.ts); incoming INVITEs go to `onInvite`.
 */
export class SipRegistration {
  private ua: UserAgent | null = null;
  private registerer: Registerer | null = null;
  private reconnectTimer: number | null = null;
  private reconnectAttempts = 0;
  private stopped = false;

  constructor(
    private readonly settings: UsableSoftphoneSettings,
    private readonly emit: (event: SoftphoneEvent) => void,
    private readonly onInvite: (invitation: Invitation) => void,
  ) {}

  /** The user agent once started (null before `start()` or when the SIP URI was unusable). */
  get userAgent(): UserAgent | null {
    return this.ua;
  }

  /** Connects and registers. Problems are reported as registration events, never thrown. */
  async start(): Promise<void> {
    const { settings } = this;
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

  /** Stops reconnecting, unregisters (when registered) and closes the transport. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer !== null) window.clearTimeout(this.reconnectTimer);
    try {
      if (this.registerer?.state === RegistererState.Registered) await this.registerer.unregister();
    } catch {
      // The transport may be gone already.
    }
    await this.ua?.stop().catch(() => {});
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
}
