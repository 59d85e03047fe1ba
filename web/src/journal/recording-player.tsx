import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { saveBlob } from '../api/file-download.ts';
import { ApiRequestError } from '../api/http.ts';
import { DownloadIcon, PlayIcon } from '../ui/icons.tsx';
import { fetchRecording } from './calls-api.ts';

/**
 * A call's recording. The audio element cannot send the bearer token, so "Listen" fetches the
 * file once (`GET /calls/{id}/recording`, one audited listen) into a blob URL the element plays
 * and seeks freely; nothing is fetched until asked, so opening a card is not a listen. "Download"
 * (`?download=true`, audited as a download) is shown to supervisors and admins only — the API
 * refuses operators with 403 anyway.
 */

function recordingError(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiRequestError && error.status === 404) return t('recording.missing');
  if (error instanceof ApiRequestError && error.status === 403) return t('recording.forbidden');
  return error instanceof Error ? error.message : String(error);
}

export function RecordingPlayer({
  callId,
  hasRecording,
  canDownload,
}: {
  callId: number;
  hasRecording: boolean;
  canDownload: boolean;
}) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const audioRef = useRef<HTMLAudioElement>(null);

  useEffect(() => {
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [url]);

  const listen = useMutation({
    mutationFn: () => fetchRecording(callId, false),
    onSuccess: ({ blob }) => setUrl(URL.createObjectURL(blob)),
  });
  const download = useMutation({
    mutationFn: () => fetchRecording(callId, true),
    onSuccess: ({ blob, fileName }) => saveBlob(blob, fileName ?? `call-${callId}-recording`),
  });

  useEffect(() => {
    if (url) void audioRef.current?.play().catch(() => {});
  }, [url]);

  const skip = (seconds: number) => {
    const audio = audioRef.current;
    if (audio) audio.currentTime = Math.max(0, Math.min(audio.duration || 0, audio.currentTime + seconds));
  };

  if (!hasRecording) {
    return (
      <Text size="sm" c="dimmed" data-testid="recording-none">
        {t('recording.none')}
      </Text>
    );
  }

  const failure = listen.error ?? download.error;
  const downloadButton = canDownload && (
    <Button
      variant="light"
      leftSection={<DownloadIcon size={16} />}
      onClick={() => download.mutate()}
      loading={download.isPending}
      data-testid="recording-download"
    >
      {t('recording.download')}
    </Button>
  );
  return (
    <Paper withBorder p="sm" data-testid="recording">
      <Stack gap="xs">
        {url && (
          // biome-ignore lint/a11y/useMediaCaption: call recordings have no captions
          <audio
            ref={audioRef}
            src={url}
            controls
            preload="auto"
            style={{ width: '100%' }}
            data-testid="recording-audio"
          />
        )}
        <Group gap="xs">
          {url ? (
            <>
              <Button size="compact-sm" variant="default" onClick={() => skip(-10)}>
                −10 {t('recording.sec')}
              </Button>
              <Button size="compact-sm" variant="default" onClick={() => skip(10)}>
                +10 {t('recording.sec')}
              </Button>
            </>
          ) : (
            <Button
              leftSection={<PlayIcon size={16} />}
              onClick={() => listen.mutate()}
              loading={listen.isPending}
              data-testid="recording-listen"
            >
              {t('recording.listen')}
            </Button>
          )}
          {downloadButton}
        </Group>
        {failure && (
          <Alert color="red" variant="light" data-testid="recording-error">
            {recordingError(failure, t)}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
