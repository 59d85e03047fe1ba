/**
 * The Asterisk side of the product: the static configuration in asterisk/etc, and the renderer
 * of its per-operator and site parts (`callcenter asterisk render`).
 */

export { asteriskCommand } from './cli/asterisk-command.ts';
export type { ConfEntry, ConfSection } from './conf/asterisk-conf.ts';
export { effectiveEntries, entryValue, loadConf, parseConf } from './conf/asterisk-conf.ts';
export type { OperatorAccount } from './operators/operator-account.ts';
export { GENERATED_FILE_NAMES, renderConfig } from './render/render-config.ts';
export { siteSettingsFromEnv } from './render/site-env.ts';
export type { SiteSettings } from './render/site-settings.ts';
