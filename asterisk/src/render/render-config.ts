import type { OperatorAccount } from '../operators/operator-account.ts';
import { operatorsFile } from './operator-sections.ts';
import { type QueueMembership, queueMembersFile } from './queue-members.ts';
import {
  ariUsersFile,
  extensionsSiteFile,
  httpSiteFile,
  managerSiteFile,
  managerUsersFile,
  pgsqlConnectionFile,
  pjsipSiteFile,
  rtpSiteFile,
} from './site-files.ts';
import type { SiteSettings } from './site-settings.ts';
import { trunkFile } from './trunk-sections.ts';

/** One file of the generated/ directory the static configuration includes. */
export interface GeneratedConfFile {
  /** File name inside generated/, as the static files `#include` it. */
  name: string;
  text: string;
}

/**
 * What rendering the generated files takes: the site settings, the operators' accounts and the
 * queues' members.
 */
export interface RenderInput {
  site: SiteSettings;
  operators: readonly OperatorAccount[];
  queues: readonly QueueMembership[];
}

/** Every file name the static configuration includes from generated/ (render writes all of them). */
export const GENERATED_FILE_NAMES = [
  'pjsip_site.conf',
  'pjsip_trunk.conf',
  'pjsip_operators.conf',
  'queues_members.conf',
  'extensions_site.conf',
  'ari_users.conf',
  'manager_users.conf',
  'manager_site.conf',
  'http_site.conf',
  'cel_pgsql_connection.conf',
  'cdr_pgsql_connection.conf',
  'rtp_site.conf',
] as const;

/**
 * Renders the site's part of the Asterisk configuration (pure: same input, same text). Throws
 * ConfValueError (name ConfigError) for a value that cannot be written into a config file.
 */
export function renderConfig(input: RenderInput): GeneratedConfFile[] {
  const { site, operators, queues } = input;
  const files: Record<(typeof GENERATED_FILE_NAMES)[number], string> = {
    'pjsip_site.conf': pjsipSiteFile(site),
    'pjsip_trunk.conf': trunkFile(site.trunk),
    'pjsip_operators.conf': operatorsFile(operators, site.sipRealm),
    'queues_members.conf': queueMembersFile(queues),
    'extensions_site.conf': extensionsSiteFile(site, operators),
    'ari_users.conf': ariUsersFile(site),
    'manager_users.conf': managerUsersFile(site),
    'manager_site.conf': managerSiteFile(site),
    'http_site.conf': httpSiteFile(site),
    'cel_pgsql_connection.conf': pgsqlConnectionFile(site, 'cel'),
    'cdr_pgsql_connection.conf': pgsqlConnectionFile(site, 'cdr'),
    'rtp_site.conf': rtpSiteFile(site),
  };
  return GENERATED_FILE_NAMES.map((name) => ({ name, text: files[name] }));
}
