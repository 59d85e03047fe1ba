import { scenarioEvents } from '@callcenter/asterisk/testing/ari-peer';
import { parseChannelName } from '@callcenter/ingest/reconcile';
import { FIXTURE_OPERATORS, loadScenario, scenarioNames } from '@callcenter/ingest/testing/fixtures';
import { describe, expect, it } from 'vitest';
import { type LiveAction, LiveCallTracker } from '../src/live-call-tracker.ts';

/**
 * The provisional call state machine over every real ARI capture. The truth it must match comes
 * from the same scenario's CEL: every CHAN_START of an operator's channel that belongs to another
 * channel's linkedid is one ring, with that linkedid (ARI events carry none: the tracker derives
 * it from Dial and creation).
 */

const run = (name: string) => {
  const tracker = new LiveCallTracker((endpoint) => FIXTURE_OPERATORS.has(endpoint));
  const actions: LiveAction[] = [];
  for (const event of scenarioEvents(name)) actions.push(...tracker.handle(event));
  return { tracker, actions };
};

const ringsInCel = (name: string) =>
  loadScenario(name)
    .cel.filter((r) => r.eventType === 'CHAN_START' && r.uniqueId !== r.linkedId)
    .filter((r) => {
      const n = parseChannelName(r.chanName);
      return !n.isLocal && FIXTURE_OPERATORS.has(n.endpoint);
    })
    .map((r) => `${parseChannelName(r.chanName).endpoint} ${r.uniqueId} ${r.linkedId}`)
    .sort();

describe('LiveCallTracker over the real ARI captures', () => {
  it.each(scenarioNames())('%s: one ring per operator leg, with the linkedid CEL gives it', (name) => {
    const { actions, tracker } = run(name);
    const rings = actions
      .filter((a) => a.kind === 'ringing')
      .map((a) => (a.kind === 'ringing' ? `${a.endpoint} ${a.channelId} ${a.facts.linkedid}` : ''))
      .sort();
    expect(rings).toEqual(ringsInCel(name));
    for (const a of actions) expect(a.kind === 'ringing' ? a.linkedidKnown : a.linkedidKnown).toBe(true);
    // Every announced channel is hung up by the end, and nothing stays tracked.
    const hangups = actions.filter((a) => a.kind === 'hangup').map((a) => a.channelId);
    expect(new Set(hangups)).toEqual(
      new Set(actions.filter((a) => a.kind === 'ringing').map((a) => a.channelId)),
    );
    expect(tracker.size).toBe(0);
  });

  it('01: the screen-pop facts of an inbound queue call; 101 answers, 102/103 are cancelled', () => {
    const { actions } = run('01-inbound-answered-caller-hangup');
    const ring101 = actions.find((a) => a.kind === 'ringing' && a.endpoint === '101');
    expect(ring101).toMatchObject({
      channelId: '1795234909.1',
      facts: {
        linkedid: '1795234908.0',
        direction: 'inbound',
        callerNumber: '79161234567',
        did: '74951234567',
        queue: 'support',
        startedAt: '2026-11-21T04:21:48.957Z',
      },
      at: '2026-11-21T04:21:49.974Z',
    });
    expect(actions.filter((a) => a.kind === 'answered').map((a) => a.endpoint)).toEqual(['101']);
    const hangups = actions.filter((a) => a.kind === 'hangup');
    expect(hangups.map((a) => [a.endpoint, a.kind === 'hangup' && a.details.cause])).toEqual([
      ['102', 26],
      ['103', 26],
      ['101', 16],
    ]);
  });

  it('09 blind transfer: 101 transfers to 102, who then rings for the same linkedid', () => {
    const { actions } = run('09-blind-transfer-refer');
    // 101 never held the caller: the ChannelUnhold Asterisk raises on the REFER is no "unheld".
    expect(actions.filter((a) => a.endpoint === '101').map((a) => a.kind)).toEqual([
      'ringing',
      'answered',
      'transferred',
      'hangup',
    ]);
    const transfer = actions.find((a) => a.kind === 'transferred');
    expect(transfer).toMatchObject({
      endpoint: '101',
      channelId: '1795235184.37',
      linkedid: '1795235183.36',
      queue: 'support',
      details: {
        transfer: { kind: 'blind', to: '102', result: 'Success', transfereeChannelId: '1795235183.36' },
      },
    });
    const after = actions.slice(actions.indexOf(transfer!) + 1);
    expect(after.find((a) => a.kind === 'ringing')).toMatchObject({
      endpoint: '102',
      channelId: '1795235191.40',
      facts: { linkedid: '1795235183.36', callerNumber: '79161234572' },
    });
    expect(after.filter((a) => a.kind === 'answered').map((a) => a.endpoint)).toEqual(['102']);
  });

  it('10 attended transfer: hold, a consultation call to 102 (own linkedid), then the transfer', () => {
    const { actions } = run('10-attended-transfer-refer-replaces');
    const kinds = actions.filter((a) => a.endpoint === '101' || a.kind === 'transferred').map((a) => a.kind);
    // Asterisk raises ChannelUnhold twice on 101's channel (the resume, then the REFER): one unheld.
    expect(kinds).toEqual(['ringing', 'answered', 'held', 'unheld', 'transferred', 'hangup']);
    const consult = actions.find((a) => a.kind === 'ringing' && a.channelId === '1795235384.80');
    expect(consult).toMatchObject({
      endpoint: '102',
      facts: { linkedid: '1795235384.79', direction: 'internal', callerNumber: '101' },
    });
    const transfer = actions.find((a) => a.kind === 'transferred');
    expect(transfer).toMatchObject({
      endpoint: '101',
      linkedid: '1795235377.75',
      alsoEndpoints: ['102'],
      details: {
        transfer: { kind: 'attended', to: '102', targetChannelId: '1795235384.80', result: 'Success' },
      },
    });
    // The target joined the caller's call: its hangup belongs to the caller's linkedid.
    const targetHangup = actions.find((a) => a.kind === 'hangup' && a.channelId === '1795235384.80');
    expect(targetHangup).toMatchObject({ linkedid: '1795235377.75', endpoint: '102' });
  });

  it('11 hold/resume: held and unheld on 101 channel of the caller linkedid', () => {
    const { actions } = run('11-hold-resume');
    const holds = actions.filter((a) => a.kind === 'held' || a.kind === 'unheld');
    expect(
      holds.map((a) => [a.kind, a.endpoint, a.channelId, a.kind !== 'ringing' && a.linkedid, a.at]),
    ).toEqual([
      ['held', '101', '1795235236.42', '1795235235.41', '2026-11-21T04:27:22.385Z'],
      ['unheld', '101', '1795235236.42', '1795235235.41', '2026-11-21T04:27:28.393Z'],
    ]);
  });

  it('resync after a gap: rings and answers missed while disconnected are announced, gone channels hung up', () => {
    const events = scenarioEvents('01-inbound-answered-caller-hangup');
    const tracker = new LiveCallTracker((endpoint) => FIXTURE_OPERATORS.has(endpoint));
    const firstDial = events.findIndex((e) => e.type === 'Dial');
    for (const e of events.slice(0, firstDial + 1)) tracker.handle(e);
    // Disconnected until 101 answered: Asterisk's channel list then holds the caller and 101 (Up).
    const answered = events.findIndex((e) => e.type === 'ChannelEnteredBridge');
    const state = new Map<string, import('@callcenter/asterisk/ari').AriChannel>();
    for (const e of events.slice(0, answered + 1)) {
      if (e.type === 'ChannelDestroyed' && e.channel) state.delete(e.channel.id);
      else if (e.channel) state.set(e.channel.id, e.channel);
    }
    const actions = tracker.resync([...state.values()]);
    expect(actions.map((a) => `${a.kind} ${a.endpoint}`)).toEqual(['answered 101']);
    // Nothing was missed for 102/103: they were created and destroyed within the gap (no card needed
    // beyond the caller's, which 101's ring created); 101 is known and answered.
    expect(tracker.linkedidOf('1795234909.1')).toEqual({ linkedid: '1795234908.0', known: true });
  });

  it('resync of a stream that starts mid-call: ringing channels come with an unknown linkedid', () => {
    const events = scenarioEvents('01-inbound-answered-caller-hangup');
    // Up to the moment all three members' phones ring (103's RINGING is the last).
    const ringing = events.findIndex(
      (e) => e.type === 'Dial' && e.dialstatus === 'RINGING' && e.peer?.name.startsWith('PJSIP/103'),
    );
    const state = new Map<string, import('@callcenter/asterisk/ari').AriChannel>();
    for (const e of events.slice(0, ringing + 1)) if (e.channel) state.set(e.channel.id, e.channel);
    const tracker = new LiveCallTracker((endpoint) => FIXTURE_OPERATORS.has(endpoint));
    const actions = tracker.resync([...state.values()]);
    expect(actions.map((a) => `${a.kind} ${a.endpoint} ${a.kind === 'ringing' && a.linkedidKnown}`)).toEqual([
      'ringing 101 false',
      'ringing 102 false',
      'ringing 103 false',
    ]);
    const facts = tracker.assignLinkedid('1795234909.1', '1795234908.0');
    // The caller is in the queue now: its dialplan no longer shows the DID it was created with.
    expect(facts).toMatchObject({
      linkedid: '1795234908.0',
      callerNumber: '79161234567',
      did: null,
      queue: 'support',
    });
  });
});
