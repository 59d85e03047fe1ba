import { type AriCallerId, type AriChannel, type AriEvent, ariTimeToIso } from '@callcenter/asterisk/ari';
import { parseChannelName } from '@callcenter/ingest/reconcile';
import { blankToNull, NO_CALLER, queueOf } from './ari-channel-fields.ts';
import { callAction, type LiveAction, ringingAction } from './live-action.ts';
import { callFactsOf, type LiveCallFacts } from './live-call-facts.ts';

/**
 * The provisional call state machine (pure, no I/O): ARI events in, live actions out — which
 * operator's phone rings for which call, answered, held, unheld, transferred, hung up. The CEL
 * path stays authoritative; this only says what is happening now.
 *
 * linkedid: ARI channels in Asterisk 20 carry none (`channel.id` = CEL uniqueid), so it is
 * derived the way Asterisk assigns it (fixtures/asterisk/README.md): a channel dialled by Dial or
 * Queue (the `Dial` event names its caller) inherits the caller's linkedid; a Local channel's `;2`
 * half shares its `;1` half's; a channel with no known parent starts its own. After a reconnect a
 * channel's parent may be unknown: its actions carry `linkedidKnown: false` and the ARI source
 * asks Asterisk (`CHANNEL(linkedid)`) before using them.
 *
 * Operators are recognised by endpoint through the injected directory (app.operators), never by
 * number (docs/reconciliation.md#participants).
 */

/** Whether a channel's endpoint is an operator's phone (the operator directory, app.operators). */
export type IsOperatorEndpoint = (endpoint: string) => boolean;

interface Tracked {
  id: string;
  name: string;
  /** Operator endpoint, or null for any other channel. */
  endpoint: string | null;
  linkedid: string;
  linkedidKnown: boolean;
  /** Local channel pair name (both halves share it), else null. */
  localPair: string | null;
  half: 1 | 2 | null;
  state: string;
  caller: AriCallerId;
  connected: AriCallerId;
  createdAt: string | null;
  /** The dialplan exten / context at creation (the DID of an inbound caller). */
  createdExten: string | null;
  createdContext: string | null;
  /** Queue the call was in when this channel was dialled. */
  queue: string | null;
  announced: boolean;
  answered: boolean;
  /** Between a ChannelHold and its ChannelUnhold. */
  held: boolean;
}

/**
 * The ARI event types `LiveCallTracker.handle` reads; the ARI source asks Asterisk for these only
 * (asterisk/src/ari/ari-client-worker.cjs).
 */
export const TRACKED_ARI_EVENTS = [
  'ChannelCreated',
  'Dial',
  'ChannelStateChange',
  'ChannelConnectedLine',
  'ChannelCallerId',
  'ChannelHold',
  'ChannelUnhold',
  'BridgeBlindTransfer',
  'BridgeAttendedTransfer',
  'ChannelDestroyed',
] as const;

/** Channels whose parent is a Dial/Queue caller are dialled; the rest started a call. */
const DIAL_BEGIN = '';

/**
 * The pure state machine of live calls: ARI events in, LiveActions out (a ring to announce, an
 * answer, a hold, a transfer, a hangup). No I/O: the ARI source applies the actions.
 */
export class LiveCallTracker {
  private readonly channels = new Map<string, Tracked>();
  private readonly localHalves = new Map<string, Tracked>();

  constructor(private readonly isOperator: IsOperatorEndpoint) {}

  /** Channels currently tracked (for tests and diagnostics). */
  get size(): number {
    return this.channels.size;
  }

  /** The linkedid derived for a channel, if tracked. */
  linkedidOf(channelId: string): { linkedid: string; known: boolean } | null {
    const c = this.channels.get(channelId);
    return c ? { linkedid: c.linkedid, known: c.linkedidKnown } : null;
  }

  /** Sets a channel's linkedid as Asterisk reported it (CHANNEL(linkedid)); returns the call facts. */
  assignLinkedid(channelId: string, linkedid: string): LiveCallFacts | null {
    const c = this.channels.get(channelId);
    if (!c) return null;
    c.linkedid = linkedid;
    c.linkedidKnown = true;
    return callFactsOf(c, this.channels.get(c.linkedid), null);
  }

  /** Feeds one event; returns what it means for operators' calls (often nothing). */
  handle(event: AriEvent): LiveAction[] {
    const at = ariTimeToIso(event.timestamp);
    switch (event.type) {
      case 'ChannelCreated':
        if (event.channel) this.created(event.channel);
        return [];
      case 'Dial':
        return this.dial(event, at);
      case 'ChannelStateChange':
        return this.stateChange(event, at);
      case 'ChannelConnectedLine':
      case 'ChannelCallerId':
        if (event.channel) this.refresh(event.channel);
        return [];
      case 'ChannelHold':
      case 'ChannelUnhold':
        return this.hold(event, at);
      case 'BridgeBlindTransfer':
        return this.blindTransfer(event, at);
      case 'BridgeAttendedTransfer':
        return this.attendedTransfer(event, at);
      case 'ChannelDestroyed':
        return this.destroyed(event, at);
      default:
        return [];
    }
  }

  /**
   * After a reconnect: reconciles the tracked channels with Asterisk's current list
   * (`GET /ari/channels`). Channels that vanished meanwhile are hung up; operator channels that
   * rang or were answered while the socket was down are announced (ringing, then answered), so no
   * card is lost; their linkedid is unknown (`linkedidKnown: false`) unless their parent is known.
   */
  resync(current: readonly AriChannel[], at: string | null = null): LiveAction[] {
    const actions: LiveAction[] = [];
    const present = new Set(current.map((c) => c.id));
    for (const tracked of [...this.channels.values()]) {
      if (present.has(tracked.id)) continue;
      actions.push(
        ...this.destroyed({ type: 'ChannelDestroyed', channel: { id: tracked.id } as AriChannel }, at),
      );
    }
    for (const channel of current) {
      const known = this.channels.get(channel.id);
      const tracked = known ?? this.trackUnseen(channel);
      if (known) this.refresh(channel);
      tracked.state = channel.state;
      if (!tracked.endpoint) continue;
      const ringingOrUp = channel.state === 'Ringing' || channel.state === 'Up';
      // A channel that started its own call (the operator's phone placing one) is no ring.
      if (!tracked.announced && ringingOrUp && (tracked.linkedid !== tracked.id || !tracked.linkedidKnown)) {
        tracked.announced = true;
        actions.push(this.ringing(tracked, at));
      }
      if (tracked.announced && !tracked.answered && channel.state === 'Up') {
        tracked.answered = true;
        actions.push(callAction('answered', tracked, at, {}));
      }
    }
    return actions;
  }

  private track(channel: AriChannel): Tracked {
    const existing = this.channels.get(channel.id);
    if (existing) return existing;
    const name = parseChannelName(channel.name ?? '');
    const endpoint = !name.isLocal && !name.isSystem && this.isOperator(name.endpoint) ? name.endpoint : null;
    const half = name.isLocal ? (channel.name.endsWith(';2') ? 2 : 1) : null;
    const tracked: Tracked = {
      id: channel.id,
      name: channel.name,
      endpoint,
      linkedid: channel.id,
      // A new channel starts its own linkedid unless a parent is learnt (Dial, Local ;1): known
      // only once the stream saw it created (a resync cannot tell).
      linkedidKnown: true,
      localPair: name.localPair,
      half,
      state: channel.state,
      caller: channel.caller ?? NO_CALLER,
      connected: channel.connected ?? NO_CALLER,
      createdAt: ariTimeToIso(channel.creationtime),
      createdExten: blankToNull(channel.dialplan?.exten),
      createdContext: blankToNull(channel.dialplan?.context),
      // A caller seen inside Queue() (a resync mid-call): the queue its rings come from.
      queue: queueOf(channel),
      announced: false,
      answered: false,
      held: false,
    };
    if (name.localPair && half === 2) {
      const first = this.localHalves.get(`${name.localPair};1`);
      if (first) {
        tracked.linkedid = first.linkedid;
        tracked.linkedidKnown = first.linkedidKnown;
        tracked.queue = first.queue;
      }
    }
    if (name.localPair) this.localHalves.set(`${name.localPair};${half}`, tracked);
    this.channels.set(channel.id, tracked);
    return tracked;
  }

  /**
   * A creation seen on the stream. The channel may be tracked already, with an unknown linkedid,
   * when the channel list read right after a (re)connect listed it before its ChannelCreated
   * (queued behind the resync) arrived: the creation settles it — its own call, until a Dial says.
   */
  private created(channel: AriChannel): void {
    const existing = this.channels.get(channel.id);
    if (!existing) {
      this.track(channel);
      return;
    }
    existing.createdAt = ariTimeToIso(channel.creationtime) ?? existing.createdAt;
    existing.createdExten = blankToNull(channel.dialplan?.exten);
    existing.createdContext = blankToNull(channel.dialplan?.context);
    if (existing.linkedidKnown) return;
    existing.linkedid = existing.id;
    existing.linkedidKnown = true;
    if (existing.localPair && existing.half === 2) {
      const first = this.localHalves.get(`${existing.localPair};1`);
      if (first) {
        existing.linkedid = first.linkedid;
        existing.linkedidKnown = first.linkedidKnown;
      }
    }
  }

  private refresh(channel: AriChannel): void {
    const tracked = this.channels.get(channel.id);
    if (!tracked) return;
    if (channel.caller) tracked.caller = channel.caller;
    if (channel.connected) tracked.connected = channel.connected;
  }

  /** Marks `child` as dialled by `parent`: it (and its Local `;2` half) joins the parent's call. */
  private adopt(child: Tracked, parent: Tracked, queue: string | null): void {
    child.linkedid = parent.linkedid;
    child.linkedidKnown = parent.linkedidKnown;
    child.queue = queue ?? parent.queue;
    if (child.localPair && child.half === 1) {
      const second = this.localHalves.get(`${child.localPair};2`);
      if (second) {
        second.linkedid = child.linkedid;
        second.linkedidKnown = child.linkedidKnown;
        second.queue = child.queue;
      }
    }
  }

  private dial(event: AriEvent, at: string | null): LiveAction[] {
    if (!event.peer) return [];
    const peer = this.channels.get(event.peer.id) ?? this.trackUnseen(event.peer);
    const status = event.dialstatus ?? '';
    if (status === DIAL_BEGIN && event.caller) {
      const caller = this.channels.get(event.caller.id) ?? this.trackUnseen(event.caller);
      this.refresh(event.caller);
      this.adopt(peer, caller, queueOf(event.caller));
      if (peer.endpoint && !peer.announced) {
        peer.announced = true;
        return [this.ringing(peer, at)];
      }
      return [];
    }
    if (status === 'ANSWER' && peer.endpoint && peer.announced && !peer.answered) {
      peer.answered = true;
      return [callAction('answered', peer, at, {})];
    }
    return [];
  }

  /** A channel first met inside another event (the stream started mid-call): parent unknown. */
  private trackUnseen(channel: AriChannel): Tracked {
    const tracked = this.track(channel);
    tracked.linkedidKnown = false;
    return tracked;
  }

  private stateChange(event: AriEvent, at: string | null): LiveAction[] {
    const channel = event.channel;
    if (!channel) return [];
    const tracked = this.channels.get(channel.id) ?? this.trackUnseen(channel);
    tracked.state = channel.state;
    // Answered without a Dial ANSWER (a call the operator's phone placed itself, or a ring that
    // came with no Dial event): the channel going Up is the answer.
    if (channel.state === 'Up' && tracked.endpoint && tracked.announced && !tracked.answered) {
      tracked.answered = true;
      return [callAction('answered', tracked, at, {})];
    }
    return [];
  }

  /**
   * Hold and resume of an operator's channel, each announced once. Asterisk also raises
   * ChannelUnhold on a channel that was never held — the transferer's channel when its phone
   * sends a REFER (captures 09 and 10, and Asterisk 22 in the real-PBX tests), again after a
   * resume — so an unhold only counts after a hold, and a second hold only after a resume.
   */
  private hold(event: AriEvent, at: string | null): LiveAction[] {
    const tracked = event.channel ? this.channels.get(event.channel.id) : undefined;
    if (!tracked?.endpoint) return [];
    const holding = event.type === 'ChannelHold';
    if (tracked.held === holding) return [];
    tracked.held = holding;
    return [callAction(holding ? 'held' : 'unheld', tracked, at, {})];
  }

  private blindTransfer(event: AriEvent, at: string | null): LiveAction[] {
    const transferer = event.channel ? this.channels.get(event.channel.id) : undefined;
    if (!transferer?.endpoint) return [];
    const to = blankToNull(event.exten);
    return [
      callAction('transferred', transferer, at, {
        transfer: {
          kind: 'blind',
          to,
          context: blankToNull(event.context),
          result: event.result ?? null,
          transfereeChannelId: event.transferee?.id ?? null,
        },
      }),
    ];
  }

  private attendedTransfer(event: AriEvent, at: string | null): LiveAction[] {
    const first = event.transferer_first_leg ? this.channels.get(event.transferer_first_leg.id) : undefined;
    const target = event.transfer_target ? this.channels.get(event.transfer_target.id) : undefined;
    const transferee = event.transferee ? this.channels.get(event.transferee.id) : undefined;
    // The target's channel joins the caller's bridge and carries the caller's linkedid from now on
    // (CEL of scenario 10).
    if (target && transferee && event.result === 'Success') {
      target.linkedid = transferee.linkedid;
      target.linkedidKnown = transferee.linkedidKnown;
      target.queue = transferee.queue ?? target.queue;
    }
    if (!first?.endpoint) return [];
    const action = callAction('transferred', first, at, {
      transfer: {
        kind: 'attended',
        to: target?.endpoint ?? blankToNull(target?.caller.number),
        result: event.result ?? null,
        targetChannelId: event.transfer_target?.id ?? null,
        transfereeChannelId: event.transferee?.id ?? null,
      },
    });
    if (action.kind !== 'ringing' && target?.endpoint && target.endpoint !== first.endpoint)
      action.alsoEndpoints.push(target.endpoint);
    return [action];
  }

  private destroyed(event: AriEvent, at: string | null): LiveAction[] {
    const id = event.channel?.id;
    const tracked = id ? this.channels.get(id) : undefined;
    if (!tracked) return [];
    this.channels.delete(tracked.id);
    if (tracked.localPair) this.localHalves.delete(`${tracked.localPair};${tracked.half}`);
    if (!tracked.endpoint || !tracked.announced) return [];
    return [
      callAction('hangup', tracked, at, {
        cause: event.cause ?? null,
        causeText: event.cause_txt ?? null,
        answered: tracked.answered,
      }),
    ];
  }

  private ringing(tracked: Tracked, at: string | null): LiveAction {
    return ringingAction(tracked, callFactsOf(tracked, this.channels.get(tracked.linkedid), at), at);
  }
}
