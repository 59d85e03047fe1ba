import {
  ATTEMPT_REPORT_COLUMNS,
  CALL_REPORT_COLUMNS,
  ROLLUP_REPORT_COLUMNS,
  SEGMENT_REPORT_COLUMNS,
} from '@callcenter/analytics/aggregate';
import type { FactKind } from './report-protocol.ts';

/** Columns read from each kind of body (the page asks the API for exactly these). */
export const COLUMNS_OF: Record<FactKind, { text: readonly string[]; numbers: readonly string[] }> = {
  calls: CALL_REPORT_COLUMNS,
  attempts: ATTEMPT_REPORT_COLUMNS,
  segments: SEGMENT_REPORT_COLUMNS,
  rollup: ROLLUP_REPORT_COLUMNS,
};
