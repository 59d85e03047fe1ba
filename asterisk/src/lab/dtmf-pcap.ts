import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DTMF_PCAP_DIR } from './sipp.ts';

/**
 * RFC 4733 digit recordings for a sequence of key presses. Debian's sip-tester ships one pcap per
 * digit (dtmf_2833_<digit>.pcap), all with the same RTP timestamp; RFC 4733 (section 2.5.1.5)
 * identifies an event by its timestamp, so Asterisk takes a second digit played from them as a
 * retransmission of the first and drops it. Each copy written here gets its own, rising RTP timestamp
 * and sequence numbers (Asterisk also drops an event older than the last one).
 */

const PCAP_HEADER = 24;
const RECORD_HEADER = 16;
const ETHERNET = 14;
/** RTP sequence number and timestamp of the first press; every press counts up from them. */
const FIRST_SEQ = 1000;
const FIRST_TIMESTAMP = 80_000;

/** The pcap name of one key: `0`–`9`, `star`, `pound`. Throws on any other key. */
function keyName(key: string): string {
  if (/^[0-9]$/.test(key)) return key;
  if (key === '*') return 'star';
  if (key === '#') return 'pound';
  throw new Error(`no RFC 4733 recording for key ${JSON.stringify(key)}`);
}

/**
 * Writes `dir/dtmf-<n>-<key>.pcap` for each key of `keys` (press n gets the RTP timestamp
 * `80000 + n × 8000` — one second of 8 kHz samples apart — and sequence numbers from `1000 + n × 50`,
 * so they rise from press to press whatever the shipped recordings carry)
 * and returns their paths in order. Expects Ethernet/IPv4/UDP/RTP captures (link type 1), as
 * sip-tester ships them; throws otherwise.
 */
export function dtmfPressPcaps(dir: string, keys: string): string[] {
  mkdirSync(dir, { recursive: true });
  return [...keys].map((key, n) => {
    const data = Buffer.from(readFileSync(join(DTMF_PCAP_DIR, `dtmf_2833_${keyName(key)}.pcap`)));
    if (data.readUInt32LE(0) !== 0xa1b2c3d4 || data.readUInt32LE(20) !== 1)
      throw new Error(`dtmf_2833_${keyName(key)}.pcap is not an Ethernet pcap`);
    let firstSeq: number | null = null;
    for (let at = PCAP_HEADER; at + RECORD_HEADER <= data.length; ) {
      const length = data.readUInt32LE(at + 8);
      const packet = at + RECORD_HEADER;
      const rtp = packet + ETHERNET + (data[packet + ETHERNET]! & 0x0f) * 4 + 8;
      const seq = data.readUInt16BE(rtp + 2);
      firstSeq ??= seq;
      data.writeUInt16BE((FIRST_SEQ + n * 50 + ((seq - firstSeq + 0x10000) & 0xffff)) & 0xffff, rtp + 2);
      data.writeUInt32BE((FIRST_TIMESTAMP + n * 8000) >>> 0, rtp + 4);
      at = packet + length;
    }
    const path = join(dir, `dtmf-${n}-${keyName(key)}.pcap`);
    writeFileSync(path, data);
    return path;
  });
}
