import { type ArrowTableLike, type FactFrame, lazyFrameFromArrow } from '@callcenter/analytics/aggregate';
import { tableFromIPC } from '@uwdata/flechette';

/**
 * Arrow IPC stream bytes → a {@link FactFrame} of only the named columns, decoded lazily:
 * flechette (`@uwdata/flechette`) reads the stream's messages and lays zero-copy typed-array views
 * over each record batch's buffers, without touching a value; then only the columns a report
 * needs are read into the frame (lazyFrameFromArrow in `@callcenter/analytics/aggregate`: dictionary
 * codes as sent, timestamps from their two 32-bit halves). Every other column of the stream costs
 * nothing but its views. And even those are read lazily: a column becomes typed arrays when a
 * report first reads it (lazyFrameFromArrow). Browser-safe. Throws an Error naming a missing
 * column (a mistyped one when it is first read).
 */
export function frameFromIPC(
  bytes: Uint8Array,
  columns: { text?: readonly string[]; numbers?: readonly string[] },
): FactFrame {
  return lazyFrameFromArrow(arrowTable(tableFromIPC(bytes, { useBigIntTimestamp: true })), columns);
}

/** The parts of a flechette batch frameFromArrow reads (flechette keeps Arrow's type ids). */
interface FlechetteBatch {
  readonly type: { readonly typeId: number; readonly unit?: number };
  readonly length: number;
  readonly nullCount: number;
  readonly validity?: Uint8Array | null;
  readonly values?: unknown;
  readonly dictionary?: Iterable<unknown>;
}

interface FlechetteColumn {
  readonly length: number;
  readonly data: readonly FlechetteBatch[];
  at(index: number): unknown;
}

interface FlechetteTable {
  readonly numRows: number;
  getChild(name: string): FlechetteColumn | null;
}

/**
 * A flechette table seen through the structural Arrow shape frameFromArrow reads: flechette's
 * batches always start at offset 0 of their buffers and call the null bitmap `validity`.
 */
function arrowTable(table: FlechetteTable): ArrowTableLike {
  return {
    numRows: table.numRows,
    getChild(name) {
      const column = table.getChild(name);
      if (!column) return null;
      return {
        length: column.length,
        data: column.data.map((batch) => ({
          type: batch.type,
          length: batch.length,
          offset: 0,
          nullCount: batch.nullCount,
          nullBitmap: batch.validity ?? null,
          values: batch.values,
          dictionary: batch.dictionary ?? null,
        })),
        get: (index) => column.at(index),
      };
    },
  };
}
