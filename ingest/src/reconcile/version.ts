/**
 * Version of the reconciliation rules. Bump it with every change that can change a derived call:
 * stored calls carry it, so the history can be re-derived after a fix (GET /quality; docs/reconciliation.md#reconciler-version).
 */
export const RECONCILER_VERSION = '1.4.0';
