import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import type { DayPeriod } from './supervision-period.ts';

/** The period of a supervision page: Mantine's range picker in the user's language (local dates). */
export function PeriodInput({ value, onChange }: { value: DayPeriod; onChange: (next: DayPeriod) => void }) {
  const { t } = useTranslation('supervision');
  return (
    <DatePickerInput
      type="range"
      label={t('period')}
      valueFormat="DD.MM.YYYY"
      allowSingleDateInRange
      w={230}
      value={[value.from, value.to]}
      onChange={([from, to]) => {
        if (from && to) onChange({ from, to });
      }}
      data-testid="supervision-period"
    />
  );
}
