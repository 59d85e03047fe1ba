import { Group, Select } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AudioDevices, canChooseSpeaker, listAudioDevices } from '../audio-devices.ts';
import type { AudioChoice } from '../call-audio.ts';

/** Microphone and speaker pickers; the list follows devices plugged in and out. */
export function AudioDeviceSelect({
  value,
  onChange,
}: {
  value: AudioChoice;
  onChange: (c: AudioChoice) => void;
}) {
  const { t } = useTranslation('operator');
  const [devices, setDevices] = useState<AudioDevices>({ inputs: [], outputs: [] });
  useEffect(() => {
    let alive = true;
    const refresh = () =>
      void listAudioDevices()
        .then((found) => alive && setDevices(found))
        .catch(() => {});
    refresh();
    navigator.mediaDevices?.addEventListener?.('devicechange', refresh);
    return () => {
      alive = false;
      navigator.mediaDevices?.removeEventListener?.('devicechange', refresh);
    };
  }, []);
  const systemDefault = { value: '', label: t('softphone.devices.default') };
  const options = (list: { deviceId: string; label: string }[]) => [
    systemDefault,
    ...list.map((d) => ({ value: d.deviceId, label: d.label })),
  ];
  return (
    <Group grow gap="xs">
      <Select
        size="xs"
        label={t('softphone.devices.microphone')}
        data={options(devices.inputs)}
        value={value.inputId ?? ''}
        onChange={(id) => onChange({ ...value, inputId: id || null })}
        allowDeselect={false}
      />
      <Select
        size="xs"
        label={t('softphone.devices.speaker')}
        data={options(devices.outputs)}
        value={value.outputId ?? ''}
        onChange={(id) => onChange({ ...value, outputId: id || null })}
        disabled={!canChooseSpeaker()}
        description={canChooseSpeaker() ? undefined : t('softphone.devices.speakerUnsupported')}
        allowDeselect={false}
      />
    </Group>
  );
}
