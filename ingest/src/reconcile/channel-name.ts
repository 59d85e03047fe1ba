/**
 * Channel names → endpoints. Asterisk names a channel `<tech>/<resource>-<sequence>`
 * (`PJSIP/101-0000002a`, `SIP/MTS-78004449876-00017107`) and a Local channel half
 * `Local/<exten>@<context>-<sequence>;<1|2>`. The endpoint is what the operators table maps to an
 * operator; `exten` and numbers never are (docs/reconciliation.md#participants).
 */

/** Channel technologies that are Asterisk's own helpers, never a party to a conversation. */
const SYSTEM_TECHS = new Set([
  'Announcer',
  'Recorder',
  'Snoop',
  'UnicastRTP',
  'ConfBridge',
  'CBAnn',
  'CBRec',
  'Message',
  'Multicast',
  'AudioSocket',
  'WebSocket',
  'Bridge',
]);

/**
 * A channel name taken apart (`PJSIP/101-0000002a`, `Local/101@from-queue-00003f98;1`):
 * technology, endpoint, and whether it is a Local half or a system channel.
 */
export interface ChannelName {
  /** `PJSIP`, `SIP`, `IAX2`, `Local`, … */
  tech: string;
  /** `101` for `PJSIP/101-0000002a`; `101` for `Local/101@from-queue-00003f98;1`. */
  endpoint: string;
  isLocal: boolean;
  /** Asterisk's helper channels (Announcer, Snoop, …): never a party. */
  isSystem: boolean;
  /** For Local halves: the name without `;1`/`;2`, shared by both halves. */
  localPair: string | null;
}

const SEQUENCE_SUFFIX = /-[0-9a-f]+$/i;

/** Parses a CEL `channame` / CDR `channel`. Never throws: odd names give `tech: ''`. */
export function parseChannelName(name: string): ChannelName {
  const slash = name.indexOf('/');
  if (slash < 0) return { tech: '', endpoint: name, isLocal: false, isSystem: false, localPair: null };
  const tech = name.slice(0, slash);
  let resource = name.slice(slash + 1);
  if (tech === 'Local') {
    const semi = resource.lastIndexOf(';');
    const pairResource = semi >= 0 ? resource.slice(0, semi) : resource;
    const withoutSeq = pairResource.replace(SEQUENCE_SUFFIX, '');
    const at = withoutSeq.indexOf('@');
    return {
      tech,
      endpoint: at >= 0 ? withoutSeq.slice(0, at) : withoutSeq,
      isLocal: true,
      isSystem: false,
      localPair: `Local/${pairResource}`,
    };
  }
  resource = resource.replace(SEQUENCE_SUFFIX, '');
  return { tech, endpoint: resource, isLocal: false, isSystem: SYSTEM_TECHS.has(tech), localPair: null };
}
