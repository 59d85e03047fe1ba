import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Colours of call statuses (ingest/src/reconcile/types.ts): green answered, red lost, grey the rest. */
export const STATUS_COLORS: Record<string, string> = {
  answered: 'teal',
  abandoned: 'red',
  missed: 'orange',
  no_answer: 'yellow',
  busy: 'grape',
  failed: 'gray',
  ringing: 'blue',
};

export function CallStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} data-status={status}>
      {t(`status.${status}`, { defaultValue: status })}
    </Badge>
  );
}
