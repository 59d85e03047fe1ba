import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfSection, effectiveEntries, entryValue, loadConf } from '../src/conf/asterisk-conf.ts';
import { renderedEtc } from './support/asterisk-test-kit.ts';
import { dialplanSteps, functionsUsed } from './support/dialplan.ts';

/** Module of each dialplan application the configuration runs (null: built into the core). */
const APP_MODULES: Record<string, string | null> = {
  Answer: null,
  Background: null,
  WaitExten: null,
  Goto: null,
  GotoIf: null,
  GotoIfTime: null,
  Set: null,
  NoOp: null,
  Hangup: null,
  Dial: 'app_dial',
  Queue: 'app_queue',
  MixMonitor: 'app_mixmonitor',
  Playback: 'app_playback',
  VoiceMail: 'app_voicemail',
  VoiceMailMain: 'app_voicemail',
  ChanSpy: 'app_chanspy',
  Gosub: 'app_stack',
  Return: 'app_stack',
  Echo: 'app_echo',
  PickupChan: 'app_directed_pickup',
  Pickup: 'app_directed_pickup',
  ConfBridge: 'app_confbridge',
};
const FUNCTION_MODULES: Record<string, string> = {
  STRFTIME: 'func_strings',
  IF: 'func_logic',
  CHANNEL: 'func_channel',
  CDR: 'func_cdr',
  CALLERID: 'func_callerid',
  TIMEOUT: 'func_timeout',
  DIALPLAN_EXISTS: 'func_dialplan',
  PJSIP_ENDPOINT: 'func_pjsip_endpoint',
  LOCAL: 'app_stack',
};
const CODEC_MODULES: Record<string, string> = {
  alaw: 'codec_alaw',
  ulaw: 'codec_ulaw',
  // Debian's open-source Opus codec (codec_opus is Sangoma's binary, not in Debian).
  opus: 'codec_opus_open_source',
  g729: 'codec_g729a',
  g722: 'codec_g722',
};
/** Loaded without a configuration line that names them: why each is needed. */
const SUPPORTING: Record<string, string> = {
  res_pjproject: 'pjproject for every res_pjsip module',
  res_sorcery_config: 'res_pjsip reads pjsip.conf through sorcery',
  res_sorcery_memory: 'res_pjsip keeps transports and registrations in memory',
  res_sorcery_astdb: "registered contacts (operators' softphones) persist in astdb",
  res_pjsip_session: 'INVITE sessions (chan_pjsip requires it)',
  res_pjsip_pubsub: 'chan_pjsip and res_pjsip_refer require it',
  res_pjsip_sdp_rtp: 'SDP/RTP negotiation of every call',
  res_pjsip_caller_id: 'caller ID in and out (send_rpid, trust_id_*)',
  res_pjsip_diversion: 'redirected calls from the provider',
  res_pjsip_rfc3326: 'SIP Reason header → hangup cause (CEL HANGUP extra)',
  res_pjsip_refer: 'transfers from SIP.js (REFER, REFER/Replaces)',
  res_pjsip_nat: 'force_rport, rewrite_contact',
  res_pjsip_logger: '`pjsip set logger on` when a call must be diagnosed',
  res_rtp_asterisk: 'RTP with ICE and STUN (rtp.conf)',
  res_timing_timerfd: 'timing for music on hold and mixing',
  codec_a_mu: 'A-law trunk ↔ u-law phone without a slin step',
  codec_resample: 'opus 48 kHz ↔ G.711 8 kHz',
  format_wav: 'MixMonitor and voicemail files (.wav)',
  format_pcm: 'A-law prompts and music on hold (.alaw)',
  format_sln: "the clinic's own prompts in sln",
  format_gsm: "Debian's prompts and music on hold (asterisk-core-sounds-*-gsm, asterisk-moh-opsound-gsm)",
  codec_gsm: 'GSM prompts and music on hold played to alaw, ulaw and opus channels',
  bridge_simple: 'two-party bridges',
  bridge_native_rtp: 'two-party RTP bridges',
  bridge_holding: 'holding bridges (ARI, hold)',
  bridge_builtin_features: 'features.conf transfers (blindxfer, atxfer)',
  chan_bridge_media: 'playback/recording into ARI bridges',
  app_stasis: 'ARI originate into the app runs the Stasis application',
  res_stasis_answer: 'res_ari_channels requires it',
  res_stasis_playback: 'res_ari_channels requires it',
  res_stasis_recording: 'res_ari_channels requires it',
  res_stasis_snoop: 'res_ari_channels requires it',
  res_stasis_device_state: 'res_ari_device_states requires it',
};

const loaded = (modulesConf: ConfSection[]) =>
  modulesConf
    .flatMap((s) => s.entries)
    .filter((e) => ['load', 'require', 'preload'].includes(e.key))
    .map((e) => e.value.replace(/\.so$/, ''));

let etc: ReturnType<typeof renderedEtc>;
beforeAll(() => {
  etc = renderedEtc();
});
afterAll(() => etc.dispose());

describe('modules.conf', () => {
  it('loads nothing automatically, and every module the configuration uses', () => {
    const conf = (file: string) => loadConf(etc.dir, file);
    const modules = conf('modules.conf');
    expect(entryValue(modules[0]!.entries, 'autoload')).toBe('no');
    const needed = new Map<string, string>();
    const need = (module: string | null | undefined, why: string) => {
      if (module === undefined) throw new Error(`no module known for ${why}`);
      if (module) needed.set(module, why);
    };
    const steps = dialplanSteps(conf('extensions.conf'));
    for (const step of steps) need(APP_MODULES[step.app], `application ${step.app}`);
    for (const step of steps)
      for (const fn of functionsUsed(step)) need(FUNCTION_MODULES[fn], `function ${fn}`);
    need('pbx_config', 'extensions.conf');
    need('app_queue', 'queues.conf');
    need('res_musiconhold', 'musiconhold.conf');
    need('cel_pgsql', 'cel_pgsql.conf');
    need('cdr_pgsql', 'cdr_pgsql.conf');
    need('app_voicemail', 'voicemail.conf');
    need('res_parking', 'res_parking.conf');
    if (conf('confbridge.conf').length > 0)
      need('bridge_softmix', "confbridge.conf (ConfBridge's mixing bridge)");

    const pjsip = conf('pjsip.conf');
    need('res_pjsip', 'pjsip.conf');
    need('chan_pjsip', 'PJSIP channels');
    for (const s of pjsip.filter((x) => !x.isTemplate)) {
      const e = effectiveEntries(pjsip, s);
      const type = entryValue(e, 'type');
      if (entryValue(e, 'protocol') === 'wss') {
        need('res_pjsip_transport_websocket', 'transport wss');
        need('res_http_websocket', 'transport wss');
      }
      if (type === 'identify') need('res_pjsip_endpoint_identifier_ip', 'identify');
      if (type === 'registration') need('res_pjsip_outbound_registration', 'registration');
      if (type === 'aor' && !entryValue(e, 'contact'))
        need('res_pjsip_registrar', `aor ${s.name} (phones register)`);
      if (type === 'endpoint' && entryValue(e, 'auth'))
        need('res_pjsip_authenticator_digest', `auth of ${s.name}`);
      if (type === 'endpoint' && entryValue(e, 'outbound_auth'))
        need('res_pjsip_outbound_authenticator_digest', `outbound_auth of ${s.name}`);
      if (entryValue(e, 'webrtc') === 'yes') need('res_srtp', `DTLS-SRTP of ${s.name}`);
      for (const codec of (entryValue(e, 'allow') ?? '').split(',').filter(Boolean)) {
        need(CODEC_MODULES[codec], `codec ${codec}`);
        if (codec === 'opus') need('res_format_attr_opus', 'opus SDP attributes');
      }
    }
    const order = entryValue(pjsip.find((s) => s.name === 'global')!.entries, 'endpoint_identifier_order')!;
    if (order.includes('username')) need('res_pjsip_endpoint_identifier_user', 'identify by user name');
    if (entryValue(conf('ari.conf')[0]!.entries, 'enabled') === 'yes')
      for (const m of [
        'res_ari',
        'res_ari_model',
        'res_stasis',
        'res_http_websocket',
        'res_websocket_client',
      ])
        need(m, 'ari.conf (res_websocket_client: res_ari requires it since Asterisk 20.15/22.5)');
    for (const resource of [
      'applications',
      'asterisk',
      'bridges',
      'channels',
      'device_states',
      'endpoints',
      'events',
    ])
      need(`res_ari_${resource}`, `ARI /${resource}: live events and call control of the app`);

    const have = new Set(loaded(modules));
    expect([...needed.keys()].filter((m) => !have.has(m)).map((m) => `${m} (${needed.get(m)})`)).toEqual([]);
    expect([...have].filter((m) => !needed.has(m) && !(m in SUPPORTING))).toEqual([]);
  });

  it('loads res_websocket_client before res_ari, which fails without it (Asterisk 20.15/22.5+)', () => {
    // With autoload = no nothing loads it otherwise, and res_ari and every res_ari_* fail with
    // "undefined symbol: ast_websocket_client_reload" (checked on Debian's Asterisk 22 by
    // asterisk/test/pbx/boot.pbx.test.ts).
    const modules = loaded(loadConf(etc.dir, 'modules.conf'));
    expect(modules).toContain('res_websocket_client');
    expect(modules.indexOf('res_websocket_client')).toBeLessThan(modules.indexOf('res_ari'));
  });
});
