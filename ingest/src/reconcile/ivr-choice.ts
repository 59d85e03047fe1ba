import type { AppRun, ChannelTimeline } from './channel-timeline-types.ts';

/**
 * The IVR menu choice of a call (docs/reconciliation.md#ivr-choice), from the CEL APP_START/APP_END
 * rows of its first channel (the caller). Generic: read from the applications Asterisk documents
 * as waiting for an extension to be dialled, never from this product's context names.
 *
 * - `WaitExten([seconds[,options]])` waits for the caller to dial an extension of the current
 *   context; a timeout goes to the `t` extension, an extension that does not exist to `i`
 *   (Asterisk's WaitExten and "Special Dialplan Extensions" documentation).
 * - `BackGround(filenames[,options[,langoverride[,context]]])` plays a prompt while waiting for
 *   digits; a dialled extension is looked up in `context` when given, else in the current one
 *   (Asterisk's BackGround documentation).
 *
 * Asterisk writes the channel's position (exten, context) on every CEL row, so the extension the
 * caller moved to is the `exten` of the channel's next APP_START after the menu's, when it lies in
 * the menu's context and differs from the extension the menu ran in. A channel runs one dialplan
 * application at a time, so that row follows the menu's end; the menu's own APP_END is not needed
 * (relevant-rows.ts does not read it, nor the DTMF rows). `h` (the hangup
 * extension) and `T` (absolute timeout) are not choices; `t` (no choice in time) and `i` (invalid
 * choice) are kept as such. `Read()` stores digits in a variable, which CEL does not show: not read.
 */

/** Applications that wait for the caller to dial an extension (case as Asterisk writes them, lower-cased). */
const MENU_APPS: ReadonlySet<string> = new Set(['waitexten', 'background']);

/** Extensions the channel can reach without the caller choosing anything. */
const NOT_A_CHOICE: ReadonlySet<string> = new Set(['h', 'T']);

/** Separator of the choices of nested menus (`2>1`: 2 in the first menu, then 1). */
export const IVR_PATH_SEPARATOR = '>';

/** The context a menu application sends a dialled extension to. */
function targetContext(app: AppRun): string {
  if (app.name.toLowerCase() === 'background') {
    const context = app.data.split(',')[3]?.trim();
    if (context) return context;
  }
  return app.context;
}

/** One menu choice: the extension chosen and the APP_START rows that show it. */
export interface IvrStep {
  choice: string;
  /** `cel.id` of the menu application's APP_START and of the first APP_START at the chosen extension. */
  rowIds: [number, number];
}

/**
 * The menu choices of a channel in order (one per menu left by a choice), or [] when it never ran
 * a menu or hung up in every menu it ran.
 */
export function ivrSteps(channel: ChannelTimeline): IvrStep[] {
  const steps: IvrStep[] = [];
  const apps = channel.apps;
  for (let i = 0; i < apps.length - 1; i++) {
    const menu = apps[i]!;
    if (!MENU_APPS.has(menu.name.toLowerCase())) continue;
    const next = apps[i + 1]!;
    if (next.context !== targetContext(menu)) continue;
    if (next.exten === menu.exten && next.context === menu.context) continue;
    if (next.exten === '' || NOT_A_CHOICE.has(next.exten)) continue;
    steps.push({ choice: next.exten, rowIds: [menu.startRowId, next.startRowId] });
  }
  return steps;
}

/**
 * `ivr_choice` of a call: its first channel's menu choices joined by `>` (`3`, `2>1`, `i>3`, `t`),
 * or null when it made none (no menu: outbound and internal calls; hung up before choosing).
 */
export function ivrChoice(first: ChannelTimeline): string | null {
  const steps = ivrSteps(first);
  return steps.length > 0 ? steps.map((s) => s.choice).join(IVR_PATH_SEPARATOR) : null;
}
