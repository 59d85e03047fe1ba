import type { ExpectedCall } from './expected-call.ts';
/** Burst: 20 inbound calls within ~1.5 s, three operators; 7 answered, 8 abandoned in queue, 5 queue timeouts to voicemail. */
// missed calls: wait_sec = started..ended per the contract, so it includes the voicemail time.
// No MOH outside queue waiting in this scenario: hold_sec is 0 everywhere.
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/12-burst-20-concurrent.
export const expected: ExpectedCall[] = [
  {
    linkedid: '1795235269.45',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#1183); queue_log CONNECT/COMPLETEAGENT
    started_at: '2026-11-21T04:27:49.710Z', // #559 CHAN_START PJSIP/trunk-0000002d
    answered_at: '2026-11-21T04:27:51.740Z', // #1183 BRIDGE_ENTER (later of #1182/#1183): first connected interval
    ended_at: '2026-11-21T04:27:59.744Z', // #1249 CHAN_END PJSIP/trunk-0000002d (last CHAN_END of the call)
    duration_sec: 10.034, // #559 -> #1249
    wait_sec: 2.03, // #559 -> #1183
    queue_wait_sec: 1.015, // #962 APP_START Queue -> #1183
    talk_sec: 8.003, // connected 8.003 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '79165510001', // cid_num of #559
    dst_number: '74951234567', // exten of #559
    did: '74951234567',
    queue: 'support', // appdata of #962
    operator: '101', // only segment
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:27:50.728Z',
        ring_sec: 1.008,
        outcome: 'answered',
      }, // #974 CHAN_START PJSIP/101-00000040 (AppQueue) -> #1167 ANSWER
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:27:50.732Z',
        ring_sec: 1.005,
        outcome: 'canceled',
      }, // #982 CHAN_START PJSIP/102-00000041 (AppQueue) -> #1171 HANGUP cause 26
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:27:50.737Z',
        ring_sec: 1.0,
        outcome: 'canceled',
      }, // #985 CHAN_START PJSIP/103-00000042 (AppQueue) -> #1169 HANGUP cause 26
    ],
    transfers: [],
    segments: [
      { operator: '101', talk_sec: 8.003, hold_sec: 0.0 }, // connected #1183 -> #1243 (8.003 s; enters #1182/#1183, exits #1243/#1244)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042749-in-1795235269.45.wav', // #570 APP_START MixMonitor
  },
  {
    linkedid: '1795235269.46',
    direction: 'inbound',
    status: 'answered', // caller bridged with 102 (#1202); group B caller, connected before its 6 s abandon; queue_log CONNECT/COMPLETECALLER
    started_at: '2026-11-21T04:27:49.819Z', // #581 CHAN_START PJSIP/trunk-0000002e
    answered_at: '2026-11-21T04:27:53.844Z', // #1202 BRIDGE_ENTER (later of #1201/#1202): first connected interval
    ended_at: '2026-11-21T04:27:55.837Z', // #1211 CHAN_END PJSIP/trunk-0000002e (last CHAN_END of the call)
    duration_sec: 6.018, // #581 -> #1211
    wait_sec: 4.025, // #581 -> #1202
    queue_wait_sec: 3.015, // #999 APP_START Queue -> #1202
    talk_sec: 1.99, // connected 1.990 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '79165520001', // cid_num of #581
    dst_number: '74951234567', // exten of #581
    did: '74951234567',
    queue: 'support', // appdata of #999
    operator: '102', // only segment
    attempts: [
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:27:51.830Z',
        ring_sec: 2.011,
        outcome: 'answered',
      }, // #1184 CHAN_START PJSIP/102-00000044 (AppQueue) -> #1197 ANSWER
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:27:51.832Z',
        ring_sec: 2.009,
        outcome: 'canceled',
      }, // #1185 CHAN_START PJSIP/103-00000045 (AppQueue) -> #1199 HANGUP cause 26
    ],
    transfers: [],
    segments: [
      { operator: '102', talk_sec: 1.99, hold_sec: 0.0 }, // connected #1202 -> #1205 (1.990 s; enters #1201/#1202, exits #1206/#1205)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042749-in-1795235269.46.wav', // #592 APP_START MixMonitor
  },
  {
    linkedid: '1795235269.47',
    direction: 'inbound',
    status: 'answered', // caller bridged with 103 (#1238); queue_log CONNECT/COMPLETECALLER
    started_at: '2026-11-21T04:27:49.909Z', // #603 CHAN_START PJSIP/trunk-0000002f
    answered_at: '2026-11-21T04:27:56.934Z', // #1238 BRIDGE_ENTER (later of #1237/#1238): first connected interval
    ended_at: '2026-11-21T04:28:49.929Z', // #1398 CHAN_END PJSIP/103-00000046 (last CHAN_END of the call)
    duration_sec: 60.02, // #603 -> #1398
    wait_sec: 7.026, // #603 -> #1238
    queue_wait_sec: 6.014, // #1030 APP_START Queue -> #1238
    talk_sec: 52.992, // connected 52.992 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '79165510002', // cid_num of #603
    dst_number: '74951234567', // exten of #603
    did: '74951234567',
    queue: 'support', // appdata of #1030
    operator: '103', // only segment
    attempts: [
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:27:53.923Z',
        ring_sec: 3.009,
        outcome: 'answered',
      }, // #1203 CHAN_START PJSIP/103-00000046 (AppQueue) -> #1235 ANSWER
    ],
    transfers: [],
    segments: [
      { operator: '103', talk_sec: 52.992, hold_sec: 0.0 }, // connected #1238 -> #1392 (52.992 s; enters #1237/#1238, exits #1393/#1392)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042749-in-1795235269.47.wav', // #614 APP_START MixMonitor
  },
  {
    linkedid: '1795235269.48',
    direction: 'inbound',
    status: 'answered', // caller bridged with 102 (#1242); queue_log CONNECT/COMPLETECALLER
    started_at: '2026-11-21T04:27:49.924Z', // #620 CHAN_START PJSIP/trunk-00000030
    answered_at: '2026-11-21T04:27:57.948Z', // #1242 BRIDGE_ENTER (later of #1241/#1242): first connected interval
    ended_at: '2026-11-21T04:28:04.940Z', // #1263 CHAN_END PJSIP/102-00000047 (last CHAN_END of the call)
    duration_sec: 15.016, // #620 -> #1263
    wait_sec: 8.023, // #620 -> #1242
    queue_wait_sec: 7.014, // #1039 APP_START Queue -> #1242
    talk_sec: 6.99, // connected 6.990 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '79165530001', // cid_num of #620
    dst_number: '74951234567', // exten of #620
    did: '74951234567',
    queue: 'support', // appdata of #1039
    operator: '102', // only segment
    attempts: [
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:27:55.938Z',
        ring_sec: 2.007,
        outcome: 'answered',
      }, // #1213 CHAN_START PJSIP/102-00000047 (AppQueue) -> #1239 ANSWER
    ],
    transfers: [],
    segments: [
      { operator: '102', talk_sec: 6.99, hold_sec: 0.0 }, // connected #1242 -> #1257 (6.990 s; enters #1241/#1242, exits #1261/#1257)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042749-in-1795235269.48.wav', // #631 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.49',
    direction: 'inbound',
    status: 'abandoned', // caller hung up while waiting in the queue (#1217 source = caller); queue_log ABANDON|3|5|5
    started_at: '2026-11-21T04:27:50.017Z', // #647 CHAN_START PJSIP/trunk-00000031
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:27:56.032Z', // #1218 CHAN_END PJSIP/trunk-00000031 (last CHAN_END of the call)
    duration_sec: 6.015, // #647 -> #1218
    wait_sec: 6.015, // never answered: #647 -> #1218
    queue_wait_sec: 5.006, // #1048 APP_START Queue -> #1216 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165520002', // cid_num of #647
    dst_number: '74951234567', // exten of #647
    did: '74951234567',
    queue: 'support', // appdata of #1048
    operator: null,
    attempts: [], // no member leg was created for this caller (all members busy, ringinuse=no)
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.49.wav', // #658 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.50',
    direction: 'inbound',
    status: 'answered', // caller bridged with 102 (#1290); queue_log CONNECT/COMPLETEAGENT
    started_at: '2026-11-21T04:27:50.053Z', // #664 CHAN_START PJSIP/trunk-00000032
    answered_at: '2026-11-21T04:28:07.083Z', // #1290 BRIDGE_ENTER (later of #1289/#1290): first connected interval
    ended_at: '2026-11-21T04:28:19.090Z', // #1374 CHAN_END PJSIP/trunk-00000032 (last CHAN_END of the call)
    duration_sec: 29.037, // #664 -> #1374
    wait_sec: 17.03, // #664 -> #1290
    queue_wait_sec: 16.022, // #1057 APP_START Queue -> #1290
    talk_sec: 12.003, // connected 12.003 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '79165540001', // cid_num of #664
    dst_number: '74951234567', // exten of #664
    did: '74951234567',
    queue: 'sales', // appdata of #1057
    operator: '102', // only segment
    attempts: [
      {
        operator: '102',
        queue: 'sales',
        rang_at: '2026-11-21T04:28:05.072Z',
        ring_sec: 2.008,
        outcome: 'answered',
      }, // #1265 CHAN_START PJSIP/102-00000049 (AppQueue) -> #1287 ANSWER
    ],
    transfers: [],
    segments: [
      { operator: '102', talk_sec: 12.003, hold_sec: 0.0 }, // connected #1290 -> #1368 (12.003 s; enters #1289/#1290, exits #1368/#1371)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.50.wav', // #675 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.51',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#1256); queue_log CONNECT/COMPLETEAGENT
    started_at: '2026-11-21T04:27:50.108Z', // #691 CHAN_START PJSIP/trunk-00000033
    answered_at: '2026-11-21T04:28:01.136Z', // #1256 BRIDGE_ENTER (later of #1255/#1256): first connected interval
    ended_at: '2026-11-21T04:28:09.140Z', // #1297 CHAN_END PJSIP/trunk-00000033 (last CHAN_END of the call)
    duration_sec: 19.032, // #691 -> #1297
    wait_sec: 11.028, // #691 -> #1256
    queue_wait_sec: 10.019, // #1066 APP_START Queue -> #1256
    talk_sec: 8.002, // connected 8.002 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '79165510003', // cid_num of #691
    dst_number: '74951234567', // exten of #691
    did: '74951234567',
    queue: 'support', // appdata of #1066
    operator: '101', // only segment
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:28:00.125Z',
        ring_sec: 1.008,
        outcome: 'answered',
      }, // #1251 CHAN_START PJSIP/101-00000048 (AppQueue) -> #1253 ANSWER
    ],
    transfers: [],
    segments: [
      { operator: '101', talk_sec: 8.002, hold_sec: 0.0 }, // connected #1256 -> #1291 (8.002 s; enters #1255/#1256, exits #1291/#1294)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.51.wav', // #702 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.52',
    direction: 'inbound',
    status: 'abandoned', // caller hung up while waiting in the queue (#1269 source = caller); queue_log ABANDON|1|7|14
    started_at: '2026-11-21T04:27:50.125Z', // #708 CHAN_START PJSIP/trunk-00000034
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:28:05.138Z', // #1270 CHAN_END PJSIP/trunk-00000034 (last CHAN_END of the call)
    duration_sec: 15.013, // #708 -> #1270
    wait_sec: 15.013, // never answered: #708 -> #1270
    queue_wait_sec: 14.005, // #1075 APP_START Queue -> #1268 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165530002', // cid_num of #708
    dst_number: '74951234567', // exten of #708
    did: '74951234567',
    queue: 'support', // appdata of #1075
    operator: null,
    attempts: [], // no member leg was created for this caller (all members busy, ringinuse=no)
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.52.wav', // #719 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.53',
    direction: 'inbound',
    status: 'abandoned', // caller hung up while waiting in the queue (#1222 source = caller); queue_log ABANDON|5|8|5
    started_at: '2026-11-21T04:27:50.217Z', // #735 CHAN_START PJSIP/trunk-00000035
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:27:56.231Z', // #1223 CHAN_END PJSIP/trunk-00000035 (last CHAN_END of the call)
    duration_sec: 6.013, // #735 -> #1223
    wait_sec: 6.013, // never answered: #735 -> #1223
    queue_wait_sec: 5.005, // #1084 APP_START Queue -> #1221 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165520003', // cid_num of #735
    dst_number: '74951234567', // exten of #735
    did: '74951234567',
    queue: 'support', // appdata of #1084
    operator: null,
    attempts: [], // no member leg was created for this caller (all members busy, ringinuse=no)
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.53.wav', // #746 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.54',
    direction: 'inbound',
    status: 'missed', // Queue returned on timeout (#1306, queue_log EXITWITHTIMEOUT) and the dialplan went on to VoiceMail (#1347)
    started_at: '2026-11-21T04:27:50.253Z', // #757 CHAN_START PJSIP/trunk-00000036
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:28:30.268Z', // #1378 CHAN_END PJSIP/trunk-00000036 (last CHAN_END of the call)
    duration_sec: 40.015, // #757 -> #1378
    wait_sec: 40.015, // never answered: #757 -> #1378
    queue_wait_sec: 20.017, // #1093 APP_START Queue -> #1306 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165540002', // cid_num of #757
    dst_number: '74951234567', // exten of #757
    did: '74951234567',
    queue: 'sales', // appdata of #1093
    operator: null,
    attempts: [], // no member leg was created for this caller
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.54.wav', // #768 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.55',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#1304); queue_log CONNECT/COMPLETEAGENT
    started_at: '2026-11-21T04:27:50.309Z', // #779 CHAN_START PJSIP/trunk-00000037
    answered_at: '2026-11-21T04:28:10.342Z', // #1304 BRIDGE_ENTER (later of #1303/#1304): first connected interval
    ended_at: '2026-11-21T04:28:18.343Z', // #1366 CHAN_END PJSIP/trunk-00000037 (last CHAN_END of the call)
    duration_sec: 28.034, // #779 -> #1366
    wait_sec: 20.033, // #779 -> #1304
    queue_wait_sec: 19.025, // #1102 APP_START Queue -> #1304
    talk_sec: 8.0, // connected 8.000 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '79165510004', // cid_num of #779
    dst_number: '74951234567', // exten of #779
    did: '74951234567',
    queue: 'support', // appdata of #1102
    operator: '101', // only segment
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:28:09.329Z',
        ring_sec: 1.008,
        outcome: 'answered',
      }, // #1299 CHAN_START PJSIP/101-0000004a (AppQueue) -> #1301 ANSWER
    ],
    transfers: [],
    segments: [
      { operator: '101', talk_sec: 8.0, hold_sec: 0.0 }, // connected #1304 -> #1360 (8.000 s; enters #1303/#1304, exits #1360/#1361)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.55.wav', // #790 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.56',
    direction: 'inbound',
    status: 'abandoned', // caller hung up while waiting in the queue (#1274 source = caller); queue_log ABANDON|2|10|14
    started_at: '2026-11-21T04:27:50.324Z', // #796 CHAN_START PJSIP/trunk-00000038
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:28:05.338Z', // #1275 CHAN_END PJSIP/trunk-00000038 (last CHAN_END of the call)
    duration_sec: 15.014, // #796 -> #1275
    wait_sec: 15.014, // never answered: #796 -> #1275
    queue_wait_sec: 14.006, // #1111 APP_START Queue -> #1273 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165530003', // cid_num of #796
    dst_number: '74951234567', // exten of #796
    did: '74951234567',
    queue: 'support', // appdata of #1111
    operator: null,
    attempts: [], // no member leg was created for this caller (all members busy, ringinuse=no)
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.56.wav', // #807 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.57',
    direction: 'inbound',
    status: 'abandoned', // caller hung up while waiting in the queue (#1227 source = caller); queue_log ABANDON|7|11|5
    started_at: '2026-11-21T04:27:50.417Z', // #823 CHAN_START PJSIP/trunk-00000039
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:27:56.429Z', // #1228 CHAN_END PJSIP/trunk-00000039 (last CHAN_END of the call)
    duration_sec: 6.012, // #823 -> #1228
    wait_sec: 6.012, // never answered: #823 -> #1228
    queue_wait_sec: 5.004, // #1120 APP_START Queue -> #1226 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165520004', // cid_num of #823
    dst_number: '74951234567', // exten of #823
    did: '74951234567',
    queue: 'support', // appdata of #1120
    operator: null,
    attempts: [], // no member leg was created for this caller (all members busy, ringinuse=no)
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.57.wav', // #834 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.58',
    direction: 'inbound',
    status: 'missed', // Queue returned on timeout (#1314, queue_log EXITWITHTIMEOUT) and the dialplan went on to VoiceMail (#1350)
    started_at: '2026-11-21T04:27:50.453Z', // #840 CHAN_START PJSIP/trunk-0000003a
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:28:30.471Z', // #1382 CHAN_END PJSIP/trunk-0000003a (last CHAN_END of the call)
    duration_sec: 40.018, // #840 -> #1382
    wait_sec: 40.018, // never answered: #840 -> #1382
    queue_wait_sec: 20.015, // #1129 APP_START Queue -> #1314 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165540003', // cid_num of #840
    dst_number: '74951234567', // exten of #840
    did: '74951234567',
    queue: 'sales', // appdata of #1129
    operator: null,
    attempts: [], // no member leg was created for this caller
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.58.wav', // #855 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.59',
    direction: 'inbound',
    status: 'missed', // Queue returned on timeout (#1322, queue_log EXITWITHTIMEOUT) and the dialplan went on to VoiceMail (#1353)
    started_at: '2026-11-21T04:27:50.509Z', // #867 CHAN_START PJSIP/trunk-0000003b
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:28:50.522Z', // #1402 CHAN_END PJSIP/trunk-0000003b (last CHAN_END of the call)
    duration_sec: 60.013, // #867 -> #1402
    wait_sec: 60.013, // never answered: #867 -> #1402
    queue_wait_sec: 20.013, // #1138 APP_START Queue -> #1322 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165510005', // cid_num of #867
    dst_number: '74951234567', // exten of #867
    did: '74951234567',
    queue: 'support', // appdata of #1138
    operator: null,
    attempts: [], // no member leg was created for this caller
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.59.wav', // #878 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.60',
    direction: 'inbound',
    status: 'abandoned', // caller hung up while waiting in the queue (#1279 source = caller); queue_log ABANDON|3|13|14
    started_at: '2026-11-21T04:27:50.524Z', // #884 CHAN_START PJSIP/trunk-0000003c
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:28:05.539Z', // #1280 CHAN_END PJSIP/trunk-0000003c (last CHAN_END of the call)
    duration_sec: 15.014, // #884 -> #1280
    wait_sec: 15.014, // never answered: #884 -> #1280
    queue_wait_sec: 14.006, // #1147 APP_START Queue -> #1278 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165530004', // cid_num of #884
    dst_number: '74951234567', // exten of #884
    did: '74951234567',
    queue: 'support', // appdata of #1147
    operator: null,
    attempts: [], // no member leg was created for this caller (all members busy, ringinuse=no)
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.60.wav', // #895 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.61',
    direction: 'inbound',
    status: 'abandoned', // caller hung up while waiting in the queue (#1232 source = caller); queue_log ABANDON|9|14|5
    started_at: '2026-11-21T04:27:50.617Z', // #911 CHAN_START PJSIP/trunk-0000003d
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:27:56.630Z', // #1233 CHAN_END PJSIP/trunk-0000003d (last CHAN_END of the call)
    duration_sec: 6.013, // #911 -> #1233
    wait_sec: 6.013, // never answered: #911 -> #1233
    queue_wait_sec: 5.006, // #1156 APP_START Queue -> #1231 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165520005', // cid_num of #911
    dst_number: '74951234567', // exten of #911
    did: '74951234567',
    queue: 'support', // appdata of #1156
    operator: null,
    attempts: [], // no member leg was created for this caller (all members busy, ringinuse=no)
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.61.wav', // #922 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.62',
    direction: 'inbound',
    status: 'missed', // Queue returned on timeout (#1330, queue_log EXITWITHTIMEOUT) and the dialplan went on to VoiceMail (#1356)
    started_at: '2026-11-21T04:27:50.654Z', // #933 CHAN_START PJSIP/trunk-0000003e
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:28:30.670Z', // #1386 CHAN_END PJSIP/trunk-0000003e (last CHAN_END of the call)
    duration_sec: 40.017, // #933 -> #1386
    wait_sec: 40.017, // never answered: #933 -> #1386
    queue_wait_sec: 20.012, // #1165 APP_START Queue -> #1330 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165540004', // cid_num of #933
    dst_number: '74951234567', // exten of #933
    did: '74951234567',
    queue: 'sales', // appdata of #1165
    operator: null,
    attempts: [], // no member leg was created for this caller
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.62.wav', // #944 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.63',
    direction: 'inbound',
    status: 'abandoned', // caller hung up while waiting in the queue (#1284 source = caller); queue_log ABANDON|3|14|14
    started_at: '2026-11-21T04:27:50.727Z', // #964 CHAN_START PJSIP/trunk-0000003f
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:28:05.744Z', // #1285 CHAN_END PJSIP/trunk-0000003f (last CHAN_END of the call)
    duration_sec: 15.017, // #964 -> #1285
    wait_sec: 15.017, // never answered: #964 -> #1285
    queue_wait_sec: 14.006, // #1180 APP_START Queue -> #1283 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165530005', // cid_num of #964
    dst_number: '74951234567', // exten of #964
    did: '74951234567',
    queue: 'support', // appdata of #1180
    operator: null,
    attempts: [], // no member leg was created for this caller (all members busy, ringinuse=no)
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.63.wav', // #976 APP_START MixMonitor
  },
  {
    linkedid: '1795235270.67',
    direction: 'inbound',
    status: 'missed', // Queue returned on timeout (#1338, queue_log EXITWITHTIMEOUT) and the dialplan went on to VoiceMail (#1359)
    started_at: '2026-11-21T04:27:50.852Z', // #1001 CHAN_START PJSIP/trunk-00000043
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:28:30.867Z', // #1390 CHAN_END PJSIP/trunk-00000043 (last CHAN_END of the call)
    duration_sec: 40.015, // #1001 -> #1390
    wait_sec: 40.015, // never answered: #1001 -> #1390
    queue_wait_sec: 20.013, // #1195 APP_START Queue -> #1338 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79165540005', // cid_num of #1001
    dst_number: '74951234567', // exten of #1001
    did: '74951234567',
    queue: 'sales', // appdata of #1195
    operator: null,
    attempts: [], // no member leg was created for this caller
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042750-in-1795235270.67.wav', // #1012 APP_START MixMonitor
  },
];
