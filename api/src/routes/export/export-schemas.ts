import { z } from '@hono/zod-openapi';
import { CallListQuery } from '../calls/call-schemas.ts';

/**
 * `GET /export/calls.csv` query: exactly the filters of `GET /calls` (same validation, same
 * 366-day range rule) without its paging parameters — an export is every matching call, so `sort`,
 * `order`, `limit` and `cursor` are unknown parameters here (400).
 */
const { sort: _sort, order: _order, limit: _limit, cursor: _cursor, ...filterShape } = CallListQuery.shape;

/**
 * `GET /export/calls.csv` and `GET /export/calls.xlsx` query: the filters of `GET /calls` without
 * paging plus `locale` (and its older alias `lang`); strict, and the period at most 366 days.
 */
export const ExportCallsQuery = z
  .strictObject({
    ...filterShape,
    locale: z.enum(['en', 'ru']).optional().openapi({
      description:
        "headers, words and number format: `ru` (CSV: `;` separator, decimal comma, Russian headers and values) or `en` (`,`, ISO times); default the user's language, else `en`",
    }),
    lang: z
      .enum(['en', 'ru'])
      .optional()
      .openapi({ description: 'older name of `locale` (used when `locale` is absent)' }),
  })
  .superRefine((q, ctx) => {
    // The range rule lives in CallListQuery's refinement: run it on from/to (every other field of
    // CallListQuery is optional or defaulted) and pass its issues on.
    const range = CallListQuery.safeParse({ from: q.from, to: q.to });
    if (!range.success) for (const issue of range.error.issues) ctx.addIssue({ ...issue, code: 'custom' });
  });
/** The parsed `GET /export/calls.csv` / `.xlsx` query. */
export type ExportCallsQuery = z.output<typeof ExportCallsQuery>;
