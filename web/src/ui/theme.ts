import { createTheme, type MantineColorsTuple } from '@mantine/core';

/**
 * The product's look on Mantine: a calm blue-green primary (telephony dashboards are read all day),
 * dense but legible tables, medium radii. Components take their defaults from here so pages stay
 * consistent without per-page styling.
 */
const brand: MantineColorsTuple = [
  '#e5f8f7',
  '#d3eeec',
  '#a8dbd7',
  '#79c8c1',
  '#53b8ae',
  '#3aada2',
  '#2aa89c',
  '#179288',
  '#028278',
  '#007167',
];

export const theme = createTheme({
  primaryColor: 'brand',
  primaryShade: { light: 7, dark: 5 },
  colors: { brand },
  defaultRadius: 'md',
  fontFamily:
    'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
  components: {
    Button: { defaultProps: { radius: 'md' } },
    Badge: { defaultProps: { radius: 'sm', variant: 'light' } },
    Paper: { defaultProps: { radius: 'md' } },
    Tooltip: { defaultProps: { openDelay: 300, withArrow: true } },
  },
});
