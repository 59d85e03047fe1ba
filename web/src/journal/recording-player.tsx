import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorText } from '../api/error-text.ts';
import { saveBlob } from '../api/file-download.ts';
import { ApiRequestError, apiFetch, currentSession, refreshSession } from '../api/http.ts';
import { DownloadIcon, PlayIcon } from '../ui/icons.tsx';
import { fetchRecording } from './calls-api.ts';

/**
 * A call's recording. "Listen" points the audio element at `GET /calls/{id}/recording` with the
 * short-lived access token in `?access_token=` (the element cannot send headers): the browser
 * streams it with Range requests, so an hour-long recording starts at once and seeking fetches
 * only what is played (the API audits a listen when a player asks from byte 0). When the token
 * has expired meanwhile, the player refreshes the session and resumes where it was. Nothing is
 * fetched until asked, so opening a card is not a listen. "Download" (`?download=true`, audited as
 * a download) is shown to supervisors and admins only — the API refuses operators with 403 anyway.
 */

/** The recording's URL for the audio element, with the current access token. */
export function recordingStreamUrl(callId: number, token: string): string {
  return `/calls/${callId}/recording?${new URLSearchParams({ access_token: token })}`;
}

function recordingError(
  error: unknown,
  t: (key: string, options?: Record<string, unknown>) => string,
  language: string,
  exists: (key: string) => boolean,
): string {
  if (error instanceof ApiRequestError && error.status === 404) return t('recording.missing');
  if (error instanceof ApiRequestError && error.status === 403) return t('recording.forbidden');
  return apiErrorText(error, t, language, exists);
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
  const { t, i18n } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  const retried = useRef(false);

  const [streamError, setStreamError] = useState<unknown>(null);

  const listen = useMutation({
    mutationFn: async () => currentSession()?.accessToken ?? (await refreshSession())?.accessToken ?? null,
    onSuccess: (token) => {
      setStreamError(null);
      if (token) setUrl(recordingStreamUrl(callId, token));
      else setStreamError(new ApiRequestError(401, 'unauthorized', 'signed out'));
    },
  });

  /**
   * The player could not load: first assume the token expired (refresh it, resume at the same
   * place); if that does not help, ask the API for one byte to learn why (404, 403…) and say it.
   */
  const onAudioError = async () => {
    const audio = audioRef.current;
    if (!audio) return;
    if (!retried.current) {
      retried.current = true;
      const at = audio.currentTime;
      const session = await refreshSession();
      if (session) {
        audio.src = recordingStreamUrl(callId, session.accessToken);
        audio.currentTime = at;
        void audio.play().catch(() => {});
        return;
      }
    }
    try {
      await apiFetch(`/calls/${callId}/recording`, { headers: { Range: 'bytes=0-0' } });
    } catch (error) {
      setStreamError(error);
      setUrl(null);
    }
  };
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

  const failure = streamError ?? listen.error ?? download.error;
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
            preload="metadata"
            onError={() => void onAudioError()}
            onPlaying={() => {
              retried.current = false;
            }}
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
            {recordingError(failure, t, i18n.resolvedLanguage ?? i18n.language, (key) => i18n.exists(key))}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
