import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * A reader for Asterisk's configuration file format (main/config.c), enough to check this
 * project's files: `[section](options)` headers with templates (`!`), additions (`+`) and
 * inherited templates; `key = value` and `key => value` lines; `;` comments (`\;` is a literal
 * semicolon) and `;-- … --;` blocks; `#include` / `#tryinclude`, resolved relative to the
 * configuration directory as Asterisk does.
 */

export interface ConfEntry {
  key: string;
  value: string;
  /** Where the line is: `file:line`. */
  at: string;
}

/**
 * One `[section]` of a configuration file: its name, whether it is a template or an addition, the
 * templates it inherits and its entries in file order.
 */
export interface ConfSection {
  name: string;
  /** `(!)`: a template, never an object of its own. */
  isTemplate: boolean;
  /** `(+)`: adds to an earlier section of the same name. */
  additive: boolean;
  /** Templates this section inherits from, in order. */
  templates: string[];
  entries: ConfEntry[];
  at: string;
}

const HEADER = /^\[([^\]]+)\]\s*(?:\(([^)]*)\))?\s*$/;
const ENTRY = /^([^=]+?)\s*=>?\s*(.*)$/;
const INCLUDE = /^#(include|tryinclude)\s+["<]?([^">]+)[">]?\s*$/;

/** Strips a line's comment, honouring `\;` (a literal semicolon). */
function stripComment(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === ';') {
      if (out.endsWith('\\')) {
        out = `${out.slice(0, -1)};`;
        continue;
      }
      break;
    }
    out += ch;
  }
  return out.trim();
}

/**
 * Parses one configuration file's text into sections. `#include` lines are returned through
 * `onInclude` (called in place, so included sections land where Asterisk would put them).
 * Throws on a line that is neither a header, an entry, a directive nor a comment.
 */
export function parseConf(
  text: string,
  file = '<text>',
  onInclude: (target: string, optional: boolean) => ConfSection[] = () => [],
): ConfSection[] {
  const sections: ConfSection[] = [];
  let current: ConfSection | null = null;
  let inBlockComment = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i]!;
    const at = `${file}:${i + 1}`;
    if (inBlockComment) {
      const end = raw.indexOf('--;');
      if (end < 0) continue;
      raw = raw.slice(end + 3);
      inBlockComment = false;
    }
    const block = raw.indexOf(';--');
    if (block >= 0 && !raw.slice(0, block).endsWith('\\')) {
      const end = raw.indexOf('--;', block + 3);
      if (end < 0) inBlockComment = true;
      raw = raw.slice(0, block) + (end < 0 ? '' : raw.slice(end + 3));
    }
    const line = stripComment(raw);
    if (!line) continue;
    const include = INCLUDE.exec(line);
    if (include) {
      const included = onInclude(include[2]!.trim(), include[1] === 'tryinclude');
      sections.push(...included);
      if (included.length > 0) current = included[included.length - 1]!;
      continue;
    }
    const header = HEADER.exec(line);
    if (header) {
      const options = (header[2] ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean);
      current = {
        name: header[1]!.trim(),
        isTemplate: options.includes('!'),
        additive: options.includes('+'),
        templates: options.filter((o) => o !== '!' && o !== '+'),
        entries: [],
        at,
      };
      sections.push(current);
      continue;
    }
    const entry = ENTRY.exec(line);
    if (!entry || !current) throw new Error(`${at}: cannot read "${line}"`);
    current.entries.push({ key: entry[1]!.trim(), value: entry[2]!.trim(), at });
  }
  return sections;
}

/**
 * Reads `file` (absolute, or relative to `etcDir`) with its includes resolved relative to
 * `etcDir`. A missing `#include` target throws (Asterisk refuses such a file); a missing
 * `#tryinclude` target is skipped.
 */
export function loadConf(etcDir: string, file: string): ConfSection[] {
  const path = isAbsolute(file) ? file : join(etcDir, file);
  const text = readFileSync(path, 'utf8');
  return parseConf(text, path, (target, optional) => {
    const targetPath = isAbsolute(target) ? target : join(etcDir, target);
    try {
      return loadConf(etcDir, targetPath);
    } catch (error) {
      if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  });
}

/**
 * The entries of a section as Asterisk applies them: its templates' entries first (recursively,
 * in the order listed), then its own, then those of later `(+)` sections of the same name.
 */
export function effectiveEntries(all: readonly ConfSection[], section: ConfSection): ConfEntry[] {
  const byName = (name: string) => all.filter((s) => s.name === name);
  const collect = (s: ConfSection, seen: Set<ConfSection>): ConfEntry[] => {
    if (seen.has(s)) return [];
    seen.add(s);
    const inherited = s.templates.flatMap((t) => {
      const template = byName(t).find((x) => x.isTemplate) ?? byName(t)[0];
      if (!template) throw new Error(`${s.at}: template "${t}" of [${s.name}] does not exist`);
      return collect(template, seen);
    });
    return [...inherited, ...s.entries];
  };
  const additions = all.filter((s) => s.name === section.name && s.additive && s !== section);
  return [...collect(section, new Set()), ...additions.flatMap((a) => a.entries)];
}

/** The value of `key` for a section (last one wins, as for Asterisk's single-valued options). */
export function entryValue(entries: readonly ConfEntry[], key: string): string | undefined {
  return entries.findLast((e) => e.key === key)?.value;
}
