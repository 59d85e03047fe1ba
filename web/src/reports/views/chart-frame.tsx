import { Paper } from '@mantine/core';
import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/** A chart's box: fixed height, full width, labelled for screen readers. */
export function ChartFrame({ label, children }: { label: string; children: ReactElement }) {
  return (
    <Paper withBorder p="sm" mt="md" role="figure" aria-label={label}>
      <ResponsiveContainer width="100%" height={280}>
        {children}
      </ResponsiveContainer>
    </Paper>
  );
}

/** Series colours (Mantine palette tones readable on white and in print). */
export const SERIES = {
  answered: '#2b8a3e',
  lost: '#e03131',
  abandoned: '#f08c00',
  missed: '#c92a2a',
  offered: '#1c7ed6',
  outbound: '#7048e8',
  callbacks: '#e8590c',
  level: '#0b7285',
} as const;
