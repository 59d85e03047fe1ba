import type { AudioChoice } from './call-audio.ts';

/**
 * Microphones and speakers (`navigator.mediaDevices.enumerateDevices`) and the operator's choice,
 * kept in localStorage so a headset stays chosen. Device labels are empty until the page has had
 * microphone permission once; the list offers "default" meanwhile. Speaker choice needs
 * `HTMLMediaElement.setSinkId` (Chromium, Firefox 116+).
 */

export interface AudioDevice {
  deviceId: string;
  label: string;
}

export interface AudioDevices {
  inputs: AudioDevice[];
  outputs: AudioDevice[];
}

const STORAGE_KEY = 'callcenter.softphone.audio';

/** The saved choice (null ids: the system default). */
export function loadAudioChoice(): AudioChoice {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<AudioChoice>;
    return {
      inputId: typeof saved.inputId === 'string' ? saved.inputId : null,
      outputId: typeof saved.outputId === 'string' ? saved.outputId : null,
    };
  } catch {
    return { inputId: null, outputId: null };
  }
}

export function saveAudioChoice(choice: AudioChoice): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** True when the speaker can be chosen in this browser. */
export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** The audio devices, without the `default`/`communications` aliases Chromium adds. */
export async function listAudioDevices(): Promise<AudioDevices> {
  if (!navigator.mediaDevices?.enumerateDevices) return { inputs: [], outputs: [] };
  const devices = await navigator.mediaDevices.enumerateDevices();
  const pick = (kind: MediaDeviceKind) =>
    devices
      .filter(
        (d) => d.kind === kind && d.deviceId && d.deviceId !== 'default' && d.deviceId !== 'communications',
      )
      .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${kind} ${i + 1}` }));
  return { inputs: pick('audioinput'), outputs: pick('audiooutput') };
}
