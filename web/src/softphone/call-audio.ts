import { type Session, SessionState, Web } from 'sip.js';

/** The microphone and speaker the user picked (audio-devices.ts keeps the choice). */
export interface AudioChoice {
  /** `deviceId` of the microphone, or null for the default one. */
  inputId: string | null;
  /** `deviceId` of the speaker (HTMLMediaElement.setSinkId), or null for the default one. */
  outputId: string | null;
}

/**
 * The media side of the softphone's calls: the microphone constraints for new calls, one
 * `<audio>` player per call for the remote stream (on the chosen speaker through
 * HTMLMediaElement.setSinkId where the browser has it), and the tracks enabled or disabled for
 * hold and mute. `audio()` is read at each use, so a new choice applies to the next call and, with
 * {@link CallAudio.applyChoice}, to the calls in progress.
 */
export class CallAudio {
  private readonly players = new Map<string, HTMLAudioElement>();

  constructor(private readonly audio: () => AudioChoice) {}

  /** getUserMedia constraints for a call: the chosen microphone (exact), or the default one. */
  constraints(): MediaStreamConstraints {
    const { inputId } = this.audio();
    return { audio: inputId ? { deviceId: { exact: inputId } } : true, video: false };
  }

  /** SIP.js's browser session description handler of a session, once it has one. */
  handler(session: Session): Web.SessionDescriptionHandler | null {
    const sdh = session.sessionDescriptionHandler;
    return sdh instanceof Web.SessionDescriptionHandler ? sdh : null;
  }

  /** Plays the remote side of an established call on the chosen speaker. */
  playRemote(session: Session): void {
    const sdh = this.handler(session);
    if (!sdh) return;
    const player = this.players.get(session.id) ?? new Audio();
    player.autoplay = true;
    player.srcObject = sdh.remoteMediaStream;
    this.players.set(session.id, player);
    void this.applyOutput(player);
    void player.play().catch(() => {});
  }

  /** Stops playing a call's remote side and forgets its player. */
  release(id: string): void {
    const player = this.players.get(id);
    if (player) player.srcObject = null;
    this.players.delete(id);
  }

  /** Stops every player (the softphone stops). */
  releaseAll(): void {
    for (const player of this.players.values()) player.srcObject = null;
    this.players.clear();
  }

  private async applyOutput(player: HTMLAudioElement): Promise<void> {
    const { outputId } = this.audio();
    const withSink = player as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (withSink.setSinkId) await withSink.setSinkId(outputId ?? '').catch(() => {});
  }

  /**
   * Applies a new microphone and speaker choice to the calls in progress: every player moves to
   * the speaker, and each established call's microphone track is replaced (kept disabled while
   * `silenced(id)`: held or muted).
   */
  async applyChoice(sessions: Iterable<Session>, silenced: (id: string) => boolean): Promise<void> {
    for (const player of this.players.values()) await this.applyOutput(player);
    const established = [...sessions].filter((s) => s.state === SessionState.Established);
    for (const session of established) {
      const sdh = this.handler(session);
      const pc = sdh?.peerConnection;
      if (!sdh || !pc) continue;
      const stream = await navigator.mediaDevices.getUserMedia(this.constraints());
      const track = stream.getAudioTracks()[0];
      if (!track) continue;
      track.enabled = !silenced(session.id);
      for (const sender of pc.getSenders())
        if (sender.track?.kind === 'audio') await sender.replaceTrack(track);
    }
  }

  /** Held: neither side's audio flows; muted: ours does not (local only, no signalling). */
  applyTracks(session: Session, held: boolean, muted: boolean): void {
    const sdh = this.handler(session);
    if (!sdh) return;
    sdh.enableReceiverTracks(!held);
    sdh.enableSenderTracks(!held && !muted);
  }
}
