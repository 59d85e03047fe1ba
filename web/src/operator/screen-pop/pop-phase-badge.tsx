import { Badge, type BadgeProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ScreenPop } from './screen-pop-state.ts';

/** The colour of each screen-pop phase (screen-pop-state.ts). */
const POP_COLORS: Record<ScreenPop['phase'], string> = {
  ringing: 'blue',
  talking: 'teal',
  held: 'orange',
  'answered-elsewhere': 'gray',
  transferred: 'violet',
  ended: 'gray',
  missed: 'red',
};

/**
 * A screen pop's phase as a coloured badge (`pop.phase.*` of the operator texts), used in the
 * workspace's pop bar and on the open card. Other props (size, `data-testid`…) go to the Badge.
 */
export function PopPhaseBadge({
  phase,
  ...badgeProps
}: { phase: ScreenPop['phase'] } & Omit<BadgeProps, 'color' | 'children'>) {
  const { t } = useTranslation('operator');
  return (
    <Badge color={POP_COLORS[phase]} {...badgeProps}>
      {t(`pop.phase.${phase}`)}
    </Badge>
  );
}
