import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/**
 * A failure inside a page shows a message with a retry in place of the page, never a blank
 * screen; the shell (navigation, sign-out) stays usable. `resetKey` (the location) clears it when
 * the user navigates away.
 */

function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <Alert color="red" title={t('errors.pageFailed')} role="alert" data-testid="page-error">
      <Stack gap="xs">
        <Text size="sm">{t('errors.pageFailedHint')}</Text>
        <Code block>{message}</Code>
        <Button
          size="xs"
          variant="light"
          color="red"
          w="fit-content"
          onClick={onRetry ?? (() => window.location.reload())}
        >
          {t('actions.retry')}
        </Button>
      </Stack>
    </Alert>
  );
}

interface State {
  error: unknown;
  key: unknown;
}

export class PageErrorBoundary extends Component<{ children: ReactNode; resetKey?: unknown }, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey?: unknown }, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('page failed', error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return <ErrorMessage error={this.state.error} onRetry={() => this.setState({ error: null })} />;
    }
    return this.props.children;
  }
}

/** The router's `errorElement`: errors thrown while matching or loading a route. */
export function RouteError() {
  const error = useRouteError();
  return (
    <Stack p="xl" maw={720} mx="auto">
      <ErrorMessage error={error} />
    </Stack>
  );
}
