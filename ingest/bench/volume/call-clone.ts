import { type CelRow, celEventType } from '../../src/reconcile/types.ts';
import type { Prng } from './prng.ts';
import type { Part, TemplatePlan } from './template-plan.ts';

/**
 * One cloned call in flight: a compiled template, its new start time and the values of its slots.
 * Bridge UUIDs, numbers and recording stamps are drawn when the clone is made; uniqueids (and the
 * channel sequences tied to them) when first written, from the server-wide {@link ChannelSequence},
 * so they increase in insertion order across concurrent calls like Asterisk's.
 */

/** A generated CEL row: every column of `asterisk.cel` (no server id: the target table is per server). */
export type VolumeCelRow = Omit<CelRow, 'serverId'>;

/** Asterisk's server-wide channel sequence (the `.N` of uniqueids, the hex of channel names). */
export interface ChannelSequence {
  value: number;
}

const hex8 = (n: number): string => (n % 0x1_0000_0000).toString(16).padStart(8, '0');

const STAMP_PAD = (n: number): string => (n < 10 ? `0${n}` : String(n));
/** UTC `YYYYmmdd-HHMMSS` of epoch µs (the dialplan's STRFTIME(,,%Y%m%d-%H%M%S) in a UTC server). */
const formatStamp = (us: number): string => {
  const d = new Date(Math.floor(us / 1000));
  return (
    `${d.getUTCFullYear()}${STAMP_PAD(d.getUTCMonth() + 1)}${STAMP_PAD(d.getUTCDate())}-` +
    `${STAMP_PAD(d.getUTCHours())}${STAMP_PAD(d.getUTCMinutes())}${STAMP_PAD(d.getUTCSeconds())}`
  );
};

/** `9XXXXXXXXX`: the 10 digits after 7/8 of a Russian mobile number. */
const mobileTail = (prng: Prng): string => `9${String(prng.int(1_000_000_000)).padStart(9, '0')}`;

const uuid4 = (prng: Prng): string => {
  const h = [prng.uint32(), prng.uint32(), prng.uint32(), prng.uint32()].map(hex8).join('');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export class CallClone {
  /** Index of the next row to write. */
  next = 0;
  /** Epoch µs of the next row (meaningless once {@link done}). */
  atUs: number;
  private readonly values: (string | undefined)[];
  /** Channel sequence of each assigned uniqueid slot. */
  private readonly sequences: number[];

  /**
   * @param startUs epoch µs of the clone's first row.
   * @param order tie-breaker between calls whose rows share a microsecond (arrival order).
   */
  constructor(
    readonly plan: TemplatePlan,
    readonly startUs: number,
    readonly order: number,
    prng: Prng,
    private readonly sequence: ChannelSequence,
  ) {
    this.atUs = startUs + plan.rows[0]!.offsetUs;
    this.values = new Array(plan.slots.length);
    this.sequences = new Array(plan.slots.length);
    plan.slots.forEach((slot, i) => {
      if (slot.kind === 'bridge') this.values[i] = uuid4(prng);
      else if (slot.kind === 'number') this.values[i] = mobileTail(prng);
      else if (slot.kind === 'stamp') this.values[i] = formatStamp(startUs + slot.offsetUs);
    });
  }

  get done(): boolean {
    return this.next >= this.plan.rows.length;
  }

  /** Writes the next row with cel.id `id` and advances; call only while not {@link done}. */
  take(id: number): VolumeCelRow {
    const planned = this.plan.rows[this.next]!;
    const us = this.atUs;
    const f = planned.fields;
    const text = (i: number): string => {
      const field = f[i]!;
      return typeof field === 'string' ? field : this.render(field, us);
    };
    const row: VolumeCelRow = {
      id,
      eventType: celEventType(text(0)),
      eventTime: us / 1000,
      userDefType: text(1),
      cidName: text(2),
      cidNum: text(3),
      cidAni: text(4),
      cidRdnis: text(5),
      cidDnid: text(6),
      exten: text(7),
      context: text(8),
      chanName: text(9),
      appName: text(10),
      appData: text(11),
      amaFlags: planned.amaFlags,
      accountCode: text(12),
      peerAccount: text(13),
      uniqueId: text(14),
      linkedId: text(15),
      userField: text(16),
      peer: text(17),
      extra: text(18),
    };
    this.next++;
    const following = this.plan.rows[this.next];
    if (following) this.atUs = this.startUs + following.offsetUs;
    return row;
  }

  /** The clone's linkedids (first = its first row's); valid once all rows are written. */
  linkedIds(): string[] {
    return this.plan.linkedIdSlots.map((slot) => this.values[slot] ?? '');
  }

  private render(parts: Part[], us: number): string {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : this.slotValue(part, us);
    return out;
  }

  private slotValue(index: number, us: number): string {
    const known = this.values[index];
    if (known !== undefined) return known;
    const slot = this.plan.slots[index]!;
    let value: string;
    if (slot.kind === 'uniqueid') {
      const seq = this.sequence.value++;
      this.sequences[index] = seq;
      value = `${Math.floor(us / 1_000_000)}.${seq}`;
    } else if (slot.kind === 'channel') {
      if (slot.uniqueidSlot >= 0) {
        this.slotValue(slot.uniqueidSlot, us);
        value = hex8(this.sequences[slot.uniqueidSlot]!);
      } else value = hex8(this.sequence.value++);
    } else throw new Error(`slot ${index} (${slot.kind}) has no value`);
    this.values[index] = value;
    return value;
  }
}
