import { describe, expect, it } from 'vitest';
import { entryValue, parseConf } from '../src/conf/asterisk-conf.ts';
import { queueMemberships } from '../src/render/queue-plan.ts';
import { renderConfig } from '../src/render/render-config.ts';
import { siteSettingsFromEnv } from '../src/render/site-env.ts';
import { OPERATORS, SITE_ENV, site } from './support/asterisk-test-kit.ts';

/** The dialplan globals `asterisk render` writes into generated/extensions_site.conf. */
const globals = (env: Record<string, string> = {}) => {
  const files = renderConfig({
    site: site(env),
    operators: OPERATORS,
    queues: queueMemberships(['support'], OPERATORS, new Map()),
  });
  const text = files.find((f) => f.name === 'extensions_site.conf')!.text;
  return parseConf(text).find((s) => s.name === 'globals')!.entries;
};

describe('asterisk render: site globals of the dialplan', () => {
  it('keeps the clinic hours of a new installation and takes other hours from the environment', () => {
    expect(entryValue(globals(), 'HOURS_WEEKDAYS')).toBe('08:00-20:00,mon-fri,*,*,Europe/Moscow');
    expect(entryValue(globals(), 'HOURS_SATURDAY')).toBe('09:00-15:00,sat,*,*,Europe/Moscow');
    const open = globals({
      BUSINESS_HOURS_WEEKDAYS: '*,*,*,*',
      BUSINESS_HOURS_SATURDAY: '10:00-14:00,sat,*,*',
    });
    expect(entryValue(open, 'HOURS_WEEKDAYS')).toBe('*,*,*,*');
    expect(entryValue(open, 'HOURS_SATURDAY')).toBe('10:00-14:00,sat,*,*');
    expect(() =>
      siteSettingsFromEnv('pbx1', 'asterisk', { ...SITE_ENV, BUSINESS_HOURS_WEEKDAYS: 'always' }),
    ).toThrow(/BUSINESS_HOURS_WEEKDAYS: must be times,weekdays,mdays,months/);
  });

  it("records into Asterisk's monitor directory, or the one the site's spool uses", () => {
    expect(entryValue(globals(), 'RECDIR')).toBe('/var/spool/asterisk/monitor');
    expect(entryValue(globals({ ASTERISK_MONITOR_DIR: '/srv/pbx/spool/monitor/' }), 'RECDIR')).toBe(
      '/srv/pbx/spool/monitor',
    );
    expect(() =>
      siteSettingsFromEnv('pbx1', 'asterisk', { ...SITE_ENV, ASTERISK_MONITOR_DIR: 'monitor' }),
    ).toThrow(/ASTERISK_MONITOR_DIR: must be an absolute path/);
  });
});
