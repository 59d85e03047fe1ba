import { describe, expect, it } from 'vitest';
import { rejectionReason } from '../call-end-reason.ts';
import { targetUri } from '../sip-target.ts';
import { SoftphoneSettings, usableSettings } from '../softphone-settings.ts';

describe('usableSettings (GET /me/softphone)', () => {
  const full = {
    configured: true,
    wsServer: 'wss://pbx.example:8089/ws',
    sipUri: 'sip:101@pbx.example',
    authorizationUsername: '101',
    authorizationPassword: 'secret',
    displayName: 'Operator 101',
    iceServers: [{ urls: 'stun:stun.example:3478' }],
  };
  it('registers only with every connection field present', () => {
    expect(usableSettings(SoftphoneSettings.parse(full))).toEqual({
      usable: true,
      settings: {
        wsServer: 'wss://pbx.example:8089/ws',
        sipUri: 'sip:101@pbx.example',
        authorizationUsername: '101',
        authorizationPassword: 'secret',
        displayName: 'Operator 101',
        iceServers: [{ urls: 'stun:stun.example:3478' }],
      },
    });
  });
  it('says "not configured" for the demo, and "invalid" for half a configuration', () => {
    expect(usableSettings(SoftphoneSettings.parse({ configured: false }))).toEqual({
      usable: false,
      reason: 'softphone.notConfigured',
    });
    expect(usableSettings(SoftphoneSettings.parse({ ...full, wsServer: 'http://pbx' }))).toEqual({
      usable: false,
      reason: 'softphone.invalidSettings',
    });
    expect(usableSettings(SoftphoneSettings.parse({ ...full, sipUri: null }))).toMatchObject({
      usable: false,
    });
  });
});

describe('SIP helpers', () => {
  it('calls a dialled number at the registrar’s domain', () => {
    expect(targetUri('102', 'sip:101@pbx.example')).toBe('sip:102@pbx.example');
    expect(targetUri('+79161234567', 'sips:101@10.0.0.5:5061')).toBe('sip:+79161234567@10.0.0.5:5061');
  });
  it('names the usual rejections', () => {
    expect(rejectionReason(486, 'Busy Here')).toBe('busy');
    expect(rejectionReason(603, 'Decline')).toBe('declined');
    expect(rejectionReason(404, 'Not Found')).toBe('unavailable');
    expect(rejectionReason(487, 'Request Terminated')).toBe('canceled');
    expect(rejectionReason(503, 'Service Unavailable')).toBe('503 Service Unavailable');
  });
});
