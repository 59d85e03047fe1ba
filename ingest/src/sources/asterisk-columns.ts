/**
 * Column lists of Asterisk's tables as sql/asterisk/cel-cdr.sql creates them (the column sets of
 * docs.asterisk.org "PostgreSQL CEL Backend" and contrib/realtime/postgresql/postgresql_cdr.sql,
 * plus `id`). One definition for readers, replay and the benchmark generator.
 */

/** Every column of `cel`, in table order. */
export const CEL_COLUMNS = [
  'id',
  'eventtype',
  'eventtime',
  'userdeftype',
  'cid_name',
  'cid_num',
  'cid_ani',
  'cid_rdnis',
  'cid_dnid',
  'exten',
  'context',
  'channame',
  'appname',
  'appdata',
  'amaflags',
  'accountcode',
  'peeraccount',
  'uniqueid',
  'linkedid',
  'userfield',
  'peer',
  'extra',
] as const;

/**
 * The `cel` columns the collector reads: the reconciler never uses cid_name, cid_ani, cid_rdnis,
 * context, amaflags, accountcode, peeraccount, userfield and peer, so they stay in the table and
 * out of the hot path (read them here when a derived field comes to need them).
 */
export const CEL_READ_COLUMNS = [
  'id',
  'eventtype',
  'eventtime',
  'userdeftype',
  'cid_num',
  'cid_dnid',
  'exten',
  'channame',
  'appname',
  'appdata',
  'uniqueid',
  'linkedid',
  'extra',
] as const satisfies readonly (typeof CEL_COLUMNS)[number][];

/** Every column of `cdr`, in table order. */
export const CDR_COLUMNS = [
  'id',
  'accountcode',
  'src',
  'dst',
  'dcontext',
  'clid',
  'channel',
  'dstchannel',
  'lastapp',
  'lastdata',
  'start',
  'answer',
  'end',
  'duration',
  'billsec',
  'disposition',
  'amaflags',
  'userfield',
  'uniqueid',
  'linkedid',
  'peeraccount',
  'sequence',
] as const;
