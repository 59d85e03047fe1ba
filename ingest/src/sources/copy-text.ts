/**
 * Postgres COPY text format (the default of `COPY … TO STDOUT`): one line per row, columns
 * separated by tabs, `\N` for NULL, backslash escapes for backslash, tab, newline and the like
 * (PostgreSQL docs, "COPY — Text Format"). Reading COPY instead of row objects is what lets the
 * collector approach the speed of a bare COPY (`npm run bench:ingest`).
 */

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

function unescapeCopy(field: string): string {
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const ch = field[i]!;
    if (ch !== '\\' || i + 1 >= field.length) {
      out += ch;
      continue;
    }
    const next = field[++i]!;
    if (next >= '0' && next <= '7') {
      let octal = next;
      while (octal.length < 3 && field[i + 1]! >= '0' && field[i + 1]! <= '7') octal += field[++i];
      out += String.fromCharCode(Number.parseInt(octal, 8));
    } else if (next === 'x') {
      let hex = '';
      while (hex.length < 2 && /[0-9a-fA-F]/.test(field[i + 1] ?? '')) hex += field[++i];
      out += String.fromCharCode(Number.parseInt(hex || '0', 16));
    } else out += ESCAPES[next] ?? next;
  }
  return out;
}

/** Splits one COPY text line into fields; NULL becomes null. */
export function parseCopyLine(line: string): (string | null)[] {
  const fields = line.split('\t');
  // Fast path: no backslash means no escapes and no NULL marker on the whole line.
  if (line.indexOf('\\') === -1) return fields;
  const out: (string | null)[] = new Array(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    out[i] = field === '\\N' ? null : field.includes('\\') ? unescapeCopy(field) : field;
  }
  return out;
}

/** Escapes one value for COPY text format (null → `\N`). */
export function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}
