import type { DictColumn, FactColumn, FactFrame, NumberColumn } from './fact-frame.ts';

/**
 * Arrow → {@link FactFrame} without per-row objects: the typed arrays apache-arrow decoded from
 * the IPC bytes are read directly (Float64 columns of one batch are used as they are), dictionary
 * codes of every record batch are remapped into one dictionary per column, 64-bit timestamps are
 * read as two 32-bit halves (no BigInt per row).
 *
 * The input is typed structurally (what `tableFromIPC` of apache-arrow returns satisfies it), so
 * this module needs no Arrow import and stays browser-safe. ClickHouse `FORMAT ArrowStream`
 * with `output_format_arrow_low_cardinality_as_dictionary = 1` sends LowCardinality columns as
 * Dictionary<Int*, Utf8>, DateTime64(3) as Timestamp<MILLISECOND>, Nullable(Float64) as a Float64
 * with a validity bitmap (analytics/src/clickhouse/fact-columns.ts).
 */

/** One Arrow Data chunk (one record batch of one column), as apache-arrow exposes it. */
export interface ArrowDataLike {
  readonly type: { readonly typeId: number; readonly unit?: number };
  readonly length: number;
  readonly offset: number;
  readonly nullCount: number;
  readonly nullBitmap?: Uint8Array | null | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: apache-arrow types `values` per data type.
  readonly values: any;
  readonly dictionary?: Iterable<unknown> | null | undefined;
}

/** One column of a table: its chunks and a per-row getter (the slow path for plain text). */
export interface ArrowVectorLike {
  readonly length: number;
  readonly data: readonly ArrowDataLike[];
  get(index: number): unknown;
}

/** A decoded Arrow table (apache-arrow `Table`). */
export interface ArrowTableLike {
  readonly numRows: number;
  getChild(name: string): ArrowVectorLike | null;
}

/** Arrow type ids (apache-arrow `Type`) this module reads. */
const TYPE = { Int: 2, Float: 3, Utf8: 5, Bool: 6, Timestamp: 10, Dictionary: -1, LargeUtf8: 20 } as const;
/** Arrow `TimeUnit` → milliseconds per unit. */
const MS_PER_UNIT = [1000, 1, 0.001, 0.000001] as const;

/**
 * The columns `text` (dictionary codes) and `numbers` (Float64, times as epoch ms) of `table`.
 * Throws an Error naming a column the table lacks or whose Arrow type does not fit.
 */
export function frameFromArrow(
  table: ArrowTableLike,
  columns: { text?: readonly string[]; numbers?: readonly string[] },
): FactFrame {
  const out = new Map<string, FactColumn>();
  for (const name of columns.text ?? []) out.set(name, textColumn(vectorOf(table, name), name));
  for (const name of columns.numbers ?? []) out.set(name, numberColumnOf(vectorOf(table, name), name));
  return { rows: table.numRows, columns: out };
}

/**
 * {@link frameFromArrow}, decoding each column only when a report first reads it
 * (`frame.columns.get(name)`; iterating the map decodes all of them): loading the stream costs the
 * checks that every named column exists, nothing per row. Throws at once for a missing column; a
 * column whose type does not fit throws when first read.
 */
export function lazyFrameFromArrow(
  table: ArrowTableLike,
  columns: { text?: readonly string[]; numbers?: readonly string[] },
): FactFrame {
  const decoders = new Map<string, () => FactColumn>();
  for (const name of columns.text ?? []) {
    const vector = vectorOf(table, name);
    decoders.set(name, () => textColumn(vector, name));
  }
  for (const name of columns.numbers ?? []) {
    const vector = vectorOf(table, name);
    decoders.set(name, () => numberColumnOf(vector, name));
  }
  return { rows: table.numRows, columns: new LazyColumns(decoders) };
}

/** A read-only map of columns decoded on first `get` and kept. */
class LazyColumns extends Map<string, FactColumn> {
  constructor(private readonly decoders: Map<string, () => FactColumn>) {
    super();
  }

  override get(name: string): FactColumn | undefined {
    let column = super.get(name);
    if (column === undefined) {
      const decode = this.decoders.get(name);
      if (!decode) return undefined;
      column = decode();
      super.set(name, column);
    }
    return column;
  }

  override has(name: string): boolean {
    return this.decoders.has(name);
  }

  override get size(): number {
    return this.decoders.size;
  }

  override *entries(): MapIterator<[string, FactColumn]> {
    for (const name of this.decoders.keys()) yield [name, this.get(name)!];
  }

  override keys(): MapIterator<string> {
    return this.decoders.keys();
  }

  override *values(): MapIterator<FactColumn> {
    for (const name of this.decoders.keys()) yield this.get(name)!;
  }

  override [Symbol.iterator](): MapIterator<[string, FactColumn]> {
    return this.entries();
  }

  override forEach(callback: (value: FactColumn, key: string, map: Map<string, FactColumn>) => void): void {
    for (const [name, column] of this.entries()) callback(column, name, this);
  }
}

function vectorOf(table: ArrowTableLike, name: string): ArrowVectorLike {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`the Arrow data has no column "${name}"`);
  return vector;
}

function isValid(data: ArrowDataLike, i: number): boolean {
  if (data.nullCount === 0 || !data.nullBitmap) return true;
  const bit = data.offset + i;
  return ((data.nullBitmap[bit >> 3]! >> (bit & 7)) & 1) === 1;
}

/** Dictionary codes remapped into one dictionary (ClickHouse may send one dictionary per batch). */
function textColumn(vector: ArrowVectorLike, name: string): DictColumn {
  const codes = new Int32Array(vector.length);
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const globalCode = (value: unknown): number => {
    const text = value == null ? '' : String(value);
    let code = index.get(text);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(text);
      index.set(text, code);
    }
    return code;
  };
  const remaps = new Map<object, Int32Array>();
  let row = 0;
  for (const data of vector.data) {
    if (data.type.typeId === TYPE.Dictionary && data.dictionary) {
      let remap = remaps.get(data.dictionary);
      if (!remap) {
        remap = Int32Array.from(Array.from(data.dictionary, globalCode));
        remaps.set(data.dictionary, remap);
      }
      const keys = data.values as Int32Array;
      if (data.nullCount > 0) {
        const empty = globalCode('');
        for (let i = 0; i < data.length; i++) codes[row + i] = isValid(data, i) ? remap[keys[i]!]! : empty;
      } else if (isIdentity(remap) && keys instanceof Int32Array) {
        codes.set(keys.subarray(0, data.length), row); // the usual case: one dictionary, codes as sent
      } else {
        remapCodes(keys, remap, codes, row, data.length);
      }
    } else if (data.type.typeId === TYPE.Utf8 || data.type.typeId === TYPE.LargeUtf8) {
      // Plain strings (not LowCardinality): one lookup per row; fine for small columns only.
      for (let i = 0; i < data.length; i++) codes[row + i] = globalCode(vector.get(row + i));
    } else {
      throw new Error(`column "${name}" is not text (Arrow type id ${data.type.typeId})`);
    }
    row += data.length;
  }
  return { kind: 'dict', codes, dictionary };
}

function isIdentity(remap: Int32Array): boolean {
  for (let i = 0; i < remap.length; i++) if (remap[i] !== i) return false;
  return true;
}

function remapCodes(
  keys: ArrayLike<number>,
  remap: Int32Array,
  out: Int32Array,
  at: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) out[at + i] = remap[keys[i]!]!;
}

/** Exact 64-bit integers (< 2^53) × scale from little-endian 32-bit halves; no BigInt per row. */
function copyInt64(
  words: Int32Array,
  signed: boolean,
  scale: number,
  out: Float64Array,
  at: number,
  n: number,
): void {
  if (signed) {
    for (let i = 0; i < n; i++)
      out[at + i] = (words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0)) * scale;
  } else {
    for (let i = 0; i < n; i++)
      out[at + i] = ((words[2 * i + 1]! >>> 0) * 4294967296 + (words[2 * i]! >>> 0)) * scale;
  }
}

/** Float64 values; Int64/Timestamp read as 32-bit halves; timestamps converted to epoch ms. */
function numberColumnOf(vector: ArrowVectorLike, name: string): NumberColumn {
  const only = vector.data.length === 1 ? vector.data[0] : undefined;
  if (
    only &&
    only.type.typeId === TYPE.Float &&
    only.values instanceof Float64Array &&
    only.nullCount === 0
  ) {
    return { kind: 'number', values: only.values }; // zero-copy: the decoded buffer itself
  }
  const values = new Float64Array(vector.length);
  let row = 0;
  for (const data of vector.data) {
    copyNumbers(data, values, row, name);
    row += data.length;
  }
  return { kind: 'number', values };
}

function copyNumbers(data: ArrowDataLike, out: Float64Array, at: number, name: string): void {
  const { typeId } = data.type;
  const raw = data.values as ArrayBufferView & ArrayLike<number | bigint>;
  const scale = typeId === TYPE.Timestamp ? MS_PER_UNIT[data.type.unit ?? 1]! : 1;
  if (typeId !== TYPE.Int && typeId !== TYPE.Float && typeId !== TYPE.Timestamp && typeId !== TYPE.Bool) {
    throw new Error(`column "${name}" is not numeric (Arrow type id ${typeId})`);
  }
  if (typeId === TYPE.Bool) {
    const bits = raw as Uint8Array;
    for (let i = 0; i < data.length; i++) {
      const bit = data.offset + i;
      out[at + i] = isValid(data, i) ? (bits[bit >> 3]! >> (bit & 7)) & 1 : Number.NaN;
    }
    return;
  }
  if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
    // Two little-endian 32-bit halves per value: exact up to 2^53, no BigInt allocated per row.
    const words = new Int32Array(raw.buffer, raw.byteOffset, raw.length * 2);
    copyInt64(words, raw instanceof BigInt64Array, scale, out, at, data.length);
    if (data.nullCount > 0)
      for (let i = 0; i < data.length; i++) if (!isValid(data, i)) out[at + i] = Number.NaN;
    return;
  }
  const numbers = raw as ArrayLike<number>;
  if (scale === 1) out.set(numbers, at);
  else for (let i = 0; i < data.length; i++) out[at + i] = numbers[i]! * scale;
  if (data.nullCount > 0)
    for (let i = 0; i < data.length; i++) if (!isValid(data, i)) out[at + i] = Number.NaN;
}
