import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { ArchiveError, errorMessage } from './archive-errors.ts';

/**
 * Reads a Parquet file back with an independent reader (hyparquet, pure JS: not the ClickHouse
 * that wrote it) to prove an analyst's tool can open it: the footer's row count must equal what
 * ClickHouse counted, and one column is decoded in full.
 */
export async function checkParquet(file: string, expectedRows: number, column: string): Promise<void> {
  try {
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    const rows = Number(metadata.num_rows);
    if (rows !== expectedRows) {
      throw new ArchiveError(
        'verification_failed',
        `${file} holds ${rows} rows, ClickHouse counted ${expectedRows}`,
      );
    }
    if (rows > 0) {
      const decoded = await parquetReadObjects({ file: buffer, columns: [column], metadata });
      if (decoded.length !== rows) {
        throw new ArchiveError(
          'verification_failed',
          `${file}: ${decoded.length} values of ${column} for ${rows} rows`,
        );
      }
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError(
      'verification_failed',
      `${file} is not a readable Parquet file: ${errorMessage(error)}`,
    );
  }
}
