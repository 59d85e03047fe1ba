/**
 * The real-PBX lab: Debian's Asterisk running the product's rendered configuration beside a main
 * job, with SIPp desk phones and callers. Used by `npm run test:pbx` (asterisk/test/pbx), by the
 * capture command (`npm run pbx:capture`) and by `npm run bench:live -- --pbx`.
 */
export * from './lab.ts';
export * from './phones.ts';
export * from './ports.ts';
export * from './sipp.ts';
