import type { ConfSection } from '../../src/conf/asterisk-conf.ts';

/**
 * Reading extensions.conf for consistency checks: each priority's application and arguments,
 * the contexts it sends calls to, and the dialplan functions it calls.
 */

export interface DialplanStep {
  context: string;
  app: string;
  args: string;
  at: string;
}

/** Splits on `sep` at the top level (not inside `${…}`, `$[…]` or parentheses). */
export function splitTop(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') depth--;
    if (ch === sep && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

const NOT_DIALPLAN = new Set(['general', 'globals']);

/** Every priority of every context (hints skipped). */
export function dialplanSteps(sections: readonly ConfSection[]): DialplanStep[] {
  const steps: DialplanStep[] = [];
  for (const section of sections) {
    if (NOT_DIALPLAN.has(section.name)) continue;
    for (const entry of section.entries) {
      if (entry.key !== 'exten' && entry.key !== 'same') continue;
      const fields = splitTop(entry.value, ',');
      const appPart = (entry.key === 'exten' ? fields.slice(2) : fields.slice(1)).join(',').trim();
      if (entry.key === 'exten' && fields[1]?.trim() === 'hint') continue;
      const m = /^([A-Za-z_]+)(?:\((.*)\))?$/s.exec(appPart);
      if (!m) throw new Error(`${entry.at}: cannot read the application of "${entry.value}"`);
      steps.push({ context: section.name, app: m[1]!, args: m[2] ?? '', at: entry.at });
    }
  }
  return steps;
}

/** The contexts named by one Goto-style destination `[[context,]exten,]priority` (none when relative). */
function destinationContext(destination: string): string | null {
  const parts = splitTop(destination.trim(), ',');
  return parts.length === 3 ? parts[0]!.trim() : null;
}

/** Contexts a step sends the call to: Goto/GotoIf/GotoIfTime/Gosub destinations, DIALPLAN_EXISTS. */
export function referencedContexts(step: DialplanStep): string[] {
  const found: string[] = [];
  const branches = (args: string) => {
    const [, targets = ''] = splitTop(args, '?');
    return splitTop(targets, ':').filter((t) => t.trim());
  };
  if (step.app === 'Goto' || step.app === 'Gosub')
    found.push(...[destinationContext(step.args)].flatMap((c) => (c ? [c] : [])));
  if (step.app === 'GotoIf' || step.app === 'GotoIfTime' || step.app === 'GosubIf')
    for (const b of branches(step.args)) {
      const c = destinationContext(b.replace(/\(.*\)$/, ''));
      if (c) found.push(c);
    }
  for (const m of step.args.matchAll(/DIALPLAN_EXISTS\(([^,)]+)/g)) found.push(m[1]!);
  return found.map((c) => c.replace(/\(.*$/, ''));
}

/** Names of the dialplan functions a step uses: read (`${NAME(`) or written (`Set(NAME(…)=…)`). */
export function functionsUsed(step: DialplanStep): string[] {
  const read = [...step.args.matchAll(/\$\{([A-Z_]+)\(/g)].map((m) => m[1]!);
  const written = step.app === 'Set' ? /^_*([A-Z_]+)\(/.exec(step.args)?.[1] : undefined;
  return written ? [...read, written] : read;
}
