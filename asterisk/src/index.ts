import { fileURLToPath } from 'node:url';

/**
 * The Asterisk side of the product: the static configuration in asterisk/etc, and the renderer
 * of its per-operator and site parts (what `callcenter asterisk render` writes into `generated/`).
 * The transports are separate entry points: `@callcenter/asterisk/ari` and `@callcenter/asterisk/ami`.
 */

/** The static configuration shipped in asterisk/etc (its queues are what rendering reads). */
export const ASTERISK_ETC_DIR = fileURLToPath(new URL('../etc/', import.meta.url));

export type { ConfEntry, ConfSection } from './conf/asterisk-conf.ts';
export { effectiveEntries, entryValue, loadConf, parseConf } from './conf/asterisk-conf.ts';
export { type ProvisionedOperators, provisionOperators } from './operators/database-operators.ts';
export type { OperatorAccount } from './operators/operator-account.ts';
export {
  ENDPOINT_NAME,
  OPERATOR_PHONES,
  type OperatorPhone,
  operatorProblems,
  RESERVED_ENDPOINT_NAMES,
} from './operators/operator-account.ts';
export { type ListedOperator, operatorsFromList, SECRETS_FILE_NAME } from './operators/secrets-file.ts';
export { definedQueues, queueMemberships } from './render/queue-plan.ts';
export { type AriAccess, RELOADED_MODULES, reloadAsterisk } from './render/reload-asterisk.ts';
export { GENERATED_FILE_NAMES, renderConfig } from './render/render-config.ts';
export { SiteConfigError, siteSettingsFromEnv } from './render/site-env.ts';
export { asteriskConfText } from './render/site-files.ts';
export type { SiteSettings } from './render/site-settings.ts';
export { copyStaticConf, writeGeneratedFile } from './render/write-generated.ts';
