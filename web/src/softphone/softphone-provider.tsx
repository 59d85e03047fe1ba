import { useQuery } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import { loadAudioChoice, saveAudioChoice } from './audio-devices.ts';
import type { AudioChoice } from './call-audio.ts';
import { SoftphoneEngine } from './softphone-engine.ts';
import { fetchSoftphoneSettings, type SoftphoneSettingsResult } from './softphone-settings.ts';
import { INITIAL_SOFTPHONE_STATE, type SoftphoneState, softphoneReducer } from './softphone-state.ts';
import { SoftphoneTabLock, type TabRole } from './softphone-tab-lock.ts';

/**
 * The softphone for React: settings from `GET /me/softphone`, the one-tab election
 * (softphone-tab-lock.ts), the SIP engine in the elected tab only, and the reduced state.
 * Mount it high (the signed-in layout) so calls survive moving between pages; the operator
 * workspace mounts one itself when none is above it.
 */

export interface Softphone {
  state: SoftphoneState;
  tabRole: TabRole;
  /** null while loading; the reason key when there is nothing to register with. */
  settings: SoftphoneSettingsResult | null;
  settingsError: unknown;
  /** The last command that failed, as text (cleared by the next command). */
  lastError: string | null;
  audio: AudioChoice;
  setAudio(choice: AudioChoice): void;
  /** "Use here": run the softphone in this tab. */
  takeOver(): void;
  answer(id: string): void;
  decline(id: string): void;
  hangup(id: string): void;
  /** Starts a call to `target` (cleaned digits); resolves once the INVITE is sent. */
  dial(target: string): Promise<void>;
  hold(id: string, hold: boolean): void;
  mute(id: string, muted: boolean): void;
  dtmf(id: string, tone: string): void;
  blindTransfer(id: string, target: string): void;
  startConsult(id: string, target: string): void;
  completeTransfer(consultId: string): void;
  dismiss(id: string): void;
}

const SoftphoneContext = createContext<Softphone | null>(null);

/** The softphone above, or null when no SoftphoneProvider is mounted. */
export function useOptionalSoftphone(): Softphone | null {
  return useContext(SoftphoneContext);
}

/** The softphone above; throws outside a SoftphoneProvider (a programming error). */
export function useSoftphone(): Softphone {
  const softphone = useContext(SoftphoneContext);
  if (!softphone) throw new Error('useSoftphone() outside <SoftphoneProvider>');
  return softphone;
}

export function SoftphoneProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(softphoneReducer, INITIAL_SOFTPHONE_STATE);
  const [tabRole, setTabRole] = useState<TabRole>('pending');
  const [lastError, setLastError] = useState<string | null>(null);
  const [audio, setAudioState] = useState<AudioChoice>(loadAudioChoice);
  const audioRef = useRef(audio);
  audioRef.current = audio;
  const engineRef = useRef<SoftphoneEngine | null>(null);
  const lockRef = useRef<SoftphoneTabLock | null>(null);

  const settingsQuery = useQuery({
    queryKey: ['me', 'softphone'],
    queryFn: fetchSoftphoneSettings,
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
  const settings = settingsQuery.data ?? null;

  useEffect(() => {
    const lock = new SoftphoneTabLock(setTabRole);
    lockRef.current = lock;
    lock.start();
    setTabRole(lock.role);
    return () => {
      lock.close();
      lockRef.current = null;
    };
  }, []);

  const runsHere = tabRole === 'active' || tabRole === 'unsupported';
  useEffect(() => {
    if (!settings) return;
    if (!settings.usable) {
      dispatch({ type: 'registration', state: 'not-configured', detail: settings.reason });
      return;
    }
    if (!runsHere) {
      dispatch({ type: 'registration', state: 'disconnected', detail: null });
      return;
    }
    const engine = new SoftphoneEngine({
      settings: settings.settings,
      dispatch,
      audio: () => audioRef.current,
    });
    engineRef.current = engine;
    void engine.start();
    return () => {
      engineRef.current = null;
      void engine.stop();
    };
  }, [settings, runsHere]);

  const run = useCallback((command: (engine: SoftphoneEngine) => unknown) => {
    const engine = engineRef.current;
    if (!engine) {
      setLastError('softphone not running');
      return Promise.resolve();
    }
    setLastError(null);
    return Promise.resolve()
      .then(() => command(engine))
      .then(
        () => undefined,
        (error: unknown) => setLastError(error instanceof Error ? error.message : String(error)),
      );
  }, []);

  const setAudio = useCallback((choice: AudioChoice) => {
    setAudioState(choice);
    audioRef.current = choice;
    saveAudioChoice(choice);
    void engineRef.current?.applyAudio().catch((error: unknown) => setLastError(String(error)));
  }, []);

  const value = useMemo<Softphone>(
    () => ({
      state,
      tabRole,
      settings,
      settingsError: settingsQuery.error,
      lastError,
      audio,
      setAudio,
      takeOver: () => lockRef.current?.takeOver(),
      answer: (id) => void run((e) => e.answer(id)),
      decline: (id) => void run((e) => e.decline(id)),
      hangup: (id) => void run((e) => e.hangup(id)),
      dial: (target) => run((e) => e.dial(target)),
      hold: (id, hold) => void run((e) => e.hold(id, hold)),
      mute: (id, muted) => void run((e) => e.mute(id, muted)),
      dtmf: (id, tone) => void run((e) => e.dtmf(id, tone)),
      blindTransfer: (id, target) => void run((e) => e.blindTransfer(id, target)),
      startConsult: (id, target) => void run((e) => e.startConsult(id, target)),
      completeTransfer: (id) => void run((e) => e.completeTransfer(id)),
      dismiss: (id) => dispatch({ type: 'dismissed', id }),
    }),
    [state, tabRole, settings, settingsQuery.error, lastError, audio, setAudio, run],
  );
  return <SoftphoneContext.Provider value={value}>{children}</SoftphoneContext.Provider>;
}

/** Mounts a SoftphoneProvider unless one is above already. */
export function EnsureSoftphone({ children }: { children: ReactNode }) {
  const outer = useOptionalSoftphone();
  return outer ? children : <SoftphoneProvider>{children}</SoftphoneProvider>;
}
