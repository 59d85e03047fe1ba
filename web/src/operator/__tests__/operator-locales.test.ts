import { describe, expect, it } from 'vitest';
import en from '../locales/en.json';
import ru from '../locales/ru.json';

/** Leaf keys with i18next plural suffixes folded (Russian has _few/_many, English does not). */
function keys(tree: object, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object') for (const k of keys(value, path)) out.add(k);
    else out.add(path.replace(/_(zero|one|two|few|many|other)$/, ''));
  }
  return out;
}

describe('operator translations', () => {
  it('has the same keys in Russian and English', () => {
    expect([...keys(ru)].sort()).toEqual([...keys(en)].sort());
  });
  it('has every Russian plural form where a key is counted', () => {
    const plural = (tree: Record<string, Record<string, string>>, section: string, key: string) =>
      ['one', 'few', 'many', 'other'].every((form) => typeof tree[section]?.[`${key}_${form}`] === 'string');
    expect(plural(ru as never, 'history', 'title')).toBe(true);
    expect(plural(ru as never, 'callbacks', 'owed')).toBe(true);
  });
});
