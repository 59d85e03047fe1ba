import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/env-config.ts';

/** COLLECTOR_SERVERS: which of ASTERISK_SERVERS this process's collector reads and ships. */
describe('COLLECTOR_SERVERS', () => {
  const servers = 'pbx1:asterisk:UTC,pbx2:asterisk_pbx2:Europe/Moscow';

  it('is every server when unset', () => {
    expect(loadConfig({ ASTERISK_SERVERS: servers }).collectorServers).toBeUndefined();
  });

  it('names a subset of ASTERISK_SERVERS', () => {
    expect(loadConfig({ ASTERISK_SERVERS: servers, COLLECTOR_SERVERS: ' pbx2 ' }).collectorServers).toEqual([
      'pbx2',
    ]);
  });

  it('refuses a server ASTERISK_SERVERS does not list, naming it', () => {
    expect(() => loadConfig({ ASTERISK_SERVERS: servers, COLLECTOR_SERVERS: 'pbx1,pbx3' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ ASTERISK_SERVERS: servers, COLLECTOR_SERVERS: 'pbx1,pbx3' })).toThrow(
      /COLLECTOR_SERVERS: pbx3 not in ASTERISK_SERVERS \(pbx1, pbx2\)/,
    );
  });
});
