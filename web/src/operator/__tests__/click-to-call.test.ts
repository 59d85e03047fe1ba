import { describe, expect, it } from 'vitest';
import { type ClickToCallInput, clickToCall } from '../callbacks/click-to-call.ts';

const base: ClickToCallInput = {
  number: '89161234567',
  e164: '+79161234567',
  softphone: { registered: false, canDial: false },
  endpoint: '101',
  originate: 'unknown',
};

describe('clickToCall', () => {
  it('dials through the registered softphone first', () => {
    expect(clickToCall({ ...base, softphone: { registered: true, canDial: true } })).toEqual({
      via: 'softphone',
      number: '89161234567',
    });
  });
  it('does not start a second call while one is in progress', () => {
    expect(clickToCall({ ...base, softphone: { registered: true, canDial: false } })).toEqual({
      via: 'none',
      reason: 'busy',
    });
  });
  it('falls back to a server-side originate, until it answered 503', () => {
    expect(clickToCall(base)).toEqual({ via: 'originate', number: '89161234567' });
    expect(clickToCall({ ...base, originate: 'unavailable' })).toEqual({
      via: 'none',
      reason: 'noTelephony',
    });
  });
  it('needs an endpoint to originate from, and a number', () => {
    expect(clickToCall({ ...base, endpoint: null })).toEqual({ via: 'none', reason: 'noEndpoint' });
    expect(clickToCall({ ...base, number: null, e164: null })).toEqual({ via: 'none', reason: 'noNumber' });
    expect(clickToCall({ ...base, number: 'anonymous', e164: null })).toEqual({
      via: 'none',
      reason: 'noNumber',
    });
    expect(clickToCall({ ...base, number: null })).toEqual({ via: 'originate', number: '+79161234567' });
  });
});
