/**
 * Just enough of ClickHouse's lexer to decide whether a statement typed by an analyst may run
 * without `--write`: the statements it holds, its first keyword, a trailing `FORMAT` clause and an
 * `INTO OUTFILE`. Strings ('…' with backslash escapes and doubled quotes), quoted identifiers ("…",
 * `…`), `--` line comments and `/* … *\/` block comments are skipped.
 *
 * The lexer errs on the side of refusing: it does not know heredocs (`$$…$$`), `#` comments or
 * nested block comments, so a `;` inside one of those counts as a statement separator and the text
 * is refused as several statements rather than let through. It is a guard against accidents (an
 * `ALTER … DELETE` pasted into the wrong terminal), not an access control: for that, give analysts a
 * ClickHouse user with `readonly = 2` (sql/ANALYSTS.md).
 */

/** Keywords that start a statement which only reads. `DESC` is ClickHouse's alias of `DESCRIBE`. */
export const READ_KEYWORDS: ReadonlySet<string> = new Set([
  'SELECT',
  'WITH',
  'SHOW',
  'DESCRIBE',
  'DESC',
  'EXPLAIN',
]);

interface Token {
  kind: 'word' | 'punct' | 'quoted';
  /** Upper-cased for words; the character for punctuation; the raw text for strings/identifiers. */
  text: string;
  /** Offsets into the source text: [start, end). */
  start: number;
  end: number;
  /** Parenthesis depth the token sits at (0 = top level). */
  depth: number;
}

/**
 * What sql-text learns of a SQL text: how many statements it holds and the first one without
 * comments.
 */
export interface StatementInfo {
  /** Number of non-empty statements (text between top-level `;`). */
  statements: number;
  /** The first statement's text from its first to its last token: no comments around it, no `;`. */
  text: string;
  /** Its first keyword, upper-cased (`SELECT`, `ALTER`, …); a leading `(` is skipped. '' when empty. */
  keyword: string;
  /** True when the first keyword starts a read-only statement ({@link READ_KEYWORDS}). */
  readOnly: boolean;
  /** The format named by a trailing top-level `FORMAT Name` clause, or null. */
  format: string | null;
  /** True when the statement has a top-level `INTO OUTFILE` (writes a file where the engine runs). */
  intoOutfile: boolean;
}

/** Thrown for an unterminated string, quoted identifier or block comment. */
export class SqlTextError extends Error {
  override name = 'SqlTextError';
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? sql.length : eol + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) throw new SqlTextError('unterminated /* comment');
      i = close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const start = i;
      i++;
      for (;;) {
        if (i >= sql.length)
          throw new SqlTextError(`unterminated ${c === "'" ? 'string' : 'quoted identifier'}`);
        if (sql[i] === '\\') i += 2;
        else if (sql[i] === c && sql[i + 1] === c) i += 2;
        else if (sql[i] === c) break;
        else i++;
      }
      i++;
      tokens.push({ kind: 'quoted', text: sql.slice(start, i), start, end: i, depth });
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < sql.length && /[A-Za-z0-9_]/.test(sql[i]!)) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i).toUpperCase(), start, end: i, depth });
    } else {
      if (c === ')') depth = Math.max(0, depth - 1);
      tokens.push({ kind: 'punct', text: c, start: i, end: i + 1, depth });
      if (c === '(') depth++;
      i++;
    }
  }
  return tokens;
}

function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'punct' && token.text === ';' && token.depth === 0) statements.push([]);
    else statements[statements.length - 1]!.push(token);
  }
  return statements.filter((s) => s.length > 0);
}

/** Index of the name in a trailing `FORMAT Name` (optionally followed by `SETTINGS …`) at the top level. */
function formatNameIndex(tokens: Token[]): number {
  for (let k = 0; k + 1 < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'word' || t.text !== 'FORMAT' || t.depth !== 0 || tokens[k + 1]!.kind !== 'word') continue;
    const previous = tokens[k - 1];
    if (previous && ((previous.kind === 'punct' && previous.text === '.') || previous.text === 'AS'))
      continue;
    const after = tokens[k + 2];
    if (after === undefined || (after.kind === 'word' && after.text === 'SETTINGS')) return k + 1;
  }
  return -1;
}

/**
 * Describes the SQL text an analyst typed. Throws {@link SqlTextError} when a string, quoted
 * identifier or comment is not closed.
 */
export function inspectSql(sql: string): StatementInfo {
  const statements = splitStatements(tokenize(sql));
  const first = statements[0] ?? [];
  const head = first.find((t) => !(t.kind === 'punct' && t.text === '('));
  const keyword = head?.kind === 'word' ? head.text : '';
  const formatAt = formatNameIndex(first);
  const formatToken = first[formatAt];
  return {
    statements: statements.length,
    text: first.length === 0 ? '' : sql.slice(first[0]!.start, first[first.length - 1]!.end),
    keyword,
    readOnly: READ_KEYWORDS.has(keyword),
    // As typed: format names are case-sensitive in ClickHouse.
    format: formatToken ? sql.slice(formatToken.start, formatToken.end) : null,
    intoOutfile: first.some(
      (t, k) =>
        t.depth === 0 &&
        t.text === 'INTO' &&
        first[k + 1]?.kind === 'word' &&
        first[k + 1]?.text === 'OUTFILE',
    ),
  };
}
