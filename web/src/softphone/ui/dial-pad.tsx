import { Button, SimpleGrid } from '@mantine/core';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** A 3 × 4 keypad: dials digits into a number, or sends DTMF during a call. */
export function DialPad({
  onKey,
  disabled,
  label,
}: {
  onKey: (key: string) => void;
  disabled?: boolean;
  /** Accessible name of the group (e.g. "Keypad" or "DTMF"). */
  label: string;
}) {
  return (
    <SimpleGrid cols={3} spacing={6} role="group" aria-label={label}>
      {KEYS.map((key) => (
        <Button key={key} variant="default" size="sm" disabled={disabled} onClick={() => onKey(key)}>
          {key}
        </Button>
      ))}
    </SimpleGrid>
  );
}
