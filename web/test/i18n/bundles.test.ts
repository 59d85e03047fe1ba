import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../e2e/support/e2e-stack.ts';

/**
 * The web app's language bundles (web/src/i18n/i18n.ts: namespaces common, operator, reports, supervision):
 * Russian and English have the same keys, every key the code asks for exists, the Russian bundle
 * holds no English words (only the names of technical things people also read in Asterisk or on
 * their keyboard), and every error code the API answers with has its text in both languages.
 */

type Bundle = Record<string, unknown>;
const NAMESPACES = {
  common: 'web/src/i18n/locales',
  operator: 'web/src/operator/locales',
  reports: 'web/src/reports/locales',
  supervision: 'web/src/supervision/locales',
} as const;

const load = (dir: string, language: string): Bundle =>
  JSON.parse(readFileSync(join(REPO_ROOT, dir, `${language}.json`), 'utf8')) as Bundle;

function flatten(bundle: Bundle, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(bundle)) {
    if (value && typeof value === 'object') {
      for (const [k, v] of flatten(value as Bundle, `${prefix}${key}.`)) out.set(k, v);
    } else out.set(`${prefix}${key}`, String(value));
  }
  return out;
}

/** Keys without i18next's plural suffixes (Russian has _few and _many, English does not). */
const baseKeys = (keys: Iterable<string>) =>
  new Set([...keys].map((key) => key.replace(/_(zero|one|two|few|many|other)$/, '')));

function sources(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '__tests__' ? [] : sources(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

/**
 * Latin words allowed in Russian text: names of protocols, products, files and keys a person
 * meets outside this app too, and the metrics' field-standard abbreviations (docs/metrics.md).
 */
const TECHNICAL_NAMES = new Set([
  'AHT',
  'AMI',
  'ARCHIVE_DIR',
  'ARI',
  'ASA',
  'Asterisk',
  'ClickHouse',
  'CSV',
  'Excel',
  'PDF',
  'CEL',
  'CDR',
  'Ctrl',
  'Ctrl+Enter',
  'DID',
  'FCR',
  'IVR',
  'Enter',
  'PostgreSQL',
  'queues.conf',
  'SIP',
  'SL',
  'T',
  // Asterisk's special extensions (timeout, invalid entry): IVR choices as the reports show them.
  't',
  'i',
  'URI',
  'WSS',
  'WebRTC',
  'ID',
]);

describe('language bundles', () => {
  for (const [namespace, dir] of Object.entries(NAMESPACES)) {
    it(`${namespace}: Russian and English have the same keys`, () => {
      const ru = baseKeys(flatten(load(dir, 'ru')).keys());
      const en = baseKeys(flatten(load(dir, 'en')).keys());
      expect(
        [...ru].filter((k) => !en.has(k)),
        'missing in en',
      ).toEqual([]);
      expect(
        [...en].filter((k) => !ru.has(k)),
        'missing in ru',
      ).toEqual([]);
    });

    it(`${namespace}: the Russian bundle has no English words`, () => {
      const english: string[] = [];
      for (const [key, text] of flatten(load(dir, 'ru'))) {
        const words = text.replace(/\{\{[^}]*\}\}/g, '').match(/[A-Za-z][A-Za-z0-9_+]*(\.[a-z]+)?/g) ?? [];
        for (const word of words) if (!TECHNICAL_NAMES.has(word)) english.push(`${key}: ${word}`);
      }
      expect(english).toEqual([]);
    });
  }

  it('one word for one thing: tags are «метки» everywhere in Russian, never «теги»', () => {
    const found: string[] = [];
    for (const dir of Object.values(NAMESPACES)) {
      for (const [key, text] of flatten(load(dir, 'ru')))
        if (/(^|[^а-яё])тег/i.test(text)) found.push(`${key}: ${text}`);
    }
    expect(found).toEqual([]);
  });

  it('every static key the code asks for exists in Russian', () => {
    const known = new Set<string>();
    for (const dir of Object.values(NAMESPACES))
      for (const k of baseKeys(flatten(load(dir, 'ru')).keys())) known.add(k);
    const missing: string[] = [];
    for (const file of sources(join(REPO_ROOT, 'web/src'), /\.tsx?$/)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.:]+)'/g)) {
        const key = m[1]!.includes(':') ? m[1]!.split(':')[1]! : m[1]!;
        if (!known.has(key)) missing.push(`${relative(REPO_ROOT, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every error code the API answers with has a Russian and an English text', () => {
    const codes = new Set<string>();
    for (const file of sources(join(REPO_ROOT, 'api/src'), /\.ts$/)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/ApiError\(\s*\d{3},\s*'([a-z_]+)'/g)) codes.add(m[1]!);
      for (const m of text.matchAll(/\berror: '([a-z_]+)'/g)) codes.add(m[1]!);
      for (const m of text.matchAll(/^\s+\d{3}: '([a-z_]+)',$/gm)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(10);
    const ru = flatten(load(NAMESPACES.common, 'ru'));
    const en = flatten(load(NAMESPACES.common, 'en'));
    expect(
      [...codes].filter((code) => !ru.has(`apiErrors.${code}`)),
      'ru',
    ).toEqual([]);
    expect(
      [...codes].filter((code) => !en.has(`apiErrors.${code}`)),
      'en',
    ).toEqual([]);
  });
});
