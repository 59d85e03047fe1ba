import { sql } from 'kysely';
import cron from 'node-cron';
import nodemailer from 'nodemailer';
import type { Db } from '../routes/calls/call-repository.ts';

/**
 * The scheduled report by e-mail (README.md "Scheduled report by e-mail"): on `REPORT_MAIL_CRON`
 * (node-cron, evaluated in `REPORT_MAIL_TZ`), each queue's figures of the previous local day in the
 * queue's own zone go over SMTP (`SMTP_URL`, nodemailer) to the supervisors of that queue who have
 * an e-mail address (`PUT /me/preferences`), in each one's language (ru unless they chose en).
 * Figures follow docs/metrics.md: inbound calls of the queue; service level = answered within the
 * queue's T / (offered − short abandons under 5 s).
 */

/** The mailer's settings (from the environment, see {@link reportMailSettings}). */
export interface ReportMailSettings {
  /** A node-cron expression, e.g. `0 8 * * *` (08:00 every day). */
  cron: string;
  /** IANA zone the cron expression is read in. */
  timeZone: string;
  /** `smtp://user:pass@host:587` or `smtps://…` (nodemailer's URL form). */
  smtpUrl: string;
  /** The From address. */
  from: string;
}

/**
 * The settings from `REPORT_MAIL_CRON`, `SMTP_URL`, `REPORT_MAIL_FROM`, `REPORT_MAIL_TZ`
 * (default UTC); null when `REPORT_MAIL_CRON` or `SMTP_URL` is unset (no mail). Throws an Error
 * naming the variable for an invalid cron expression or a missing From.
 */
export function reportMailSettings(env: NodeJS.ProcessEnv = process.env): ReportMailSettings | null {
  const expression = env.REPORT_MAIL_CRON?.trim();
  const smtpUrl = env.SMTP_URL?.trim();
  if (!expression || !smtpUrl) return null;
  if (!cron.validate(expression))
    throw new Error(`REPORT_MAIL_CRON: "${expression}" is not a cron expression`);
  const from = env.REPORT_MAIL_FROM?.trim();
  if (!from) throw new Error('REPORT_MAIL_FROM: the sender address is needed with REPORT_MAIL_CRON');
  return { cron: expression, timeZone: env.REPORT_MAIL_TZ?.trim() || 'UTC', smtpUrl, from };
}

/** One queue's figures of one local day. */
export interface QueueDayFigures {
  queue: string;
  displayName: string;
  day: string;
  timeZone: string;
  offered: number;
  answered: number;
  abandoned: number;
  missed: number;
  shortAbandons: number;
  answeredInSl: number;
  serviceLevelSec: number;
  /** answeredInSl / (offered − shortAbandons); null when that is 0. */
  serviceLevel: number | null;
  /** Mean queue wait of answered calls, seconds; null without answered calls. */
  asaSec: number | null;
}

/** Each queue's figures of the local day before `now` in its zone (inbound calls, app.calls). */
export async function queueDayFigures(db: Db, now: Date): Promise<QueueDayFigures[]> {
  const rows = await sql<{
    queue: string;
    display_name: string;
    time_zone: string;
    service_level_sec: number;
    day: string;
    offered: number;
    answered: number;
    abandoned: number;
    missed: number;
    short_abandons: number;
    answered_in_sl: number;
    asa_sec: number | null;
  }>`
    WITH bounds AS (
      SELECT q.server_id, q.name, q.display_name, q.time_zone, q.service_level_sec,
        (date_trunc('day', ${now}::timestamptz AT TIME ZONE q.time_zone) - interval '1 day') AS day_start
      FROM app.queues q
    )
    SELECT b.name AS queue, b.display_name, b.time_zone, b.service_level_sec,
      to_char(b.day_start, 'YYYY-MM-DD') AS day,
      count(c.id)::int AS offered,
      count(c.id) FILTER (WHERE c.status = 'answered')::int AS answered,
      count(c.id) FILTER (WHERE c.status = 'abandoned')::int AS abandoned,
      count(c.id) FILTER (WHERE c.status = 'missed')::int AS missed,
      count(c.id) FILTER (WHERE c.status = 'abandoned' AND c.queue_wait_sec < 5)::int AS short_abandons,
      count(c.id) FILTER (WHERE c.status = 'answered' AND c.queue_wait_sec <= b.service_level_sec)::int
        AS answered_in_sl,
      avg(c.queue_wait_sec) FILTER (WHERE c.status = 'answered')::float8 AS asa_sec
    FROM bounds b
    LEFT JOIN app.calls c ON c.server_id = b.server_id AND c.queue = b.name AND c.direction = 'inbound'
      AND c.started_at >= (b.day_start AT TIME ZONE b.time_zone)
      AND c.started_at < ((b.day_start + interval '1 day') AT TIME ZONE b.time_zone)
    GROUP BY b.name, b.display_name, b.time_zone, b.service_level_sec, b.day_start
    ORDER BY b.name`.execute(db);
  return rows.rows.map((r) => {
    const base = r.offered - r.short_abandons;
    return {
      queue: r.queue,
      displayName: r.display_name,
      day: r.day,
      timeZone: r.time_zone,
      offered: r.offered,
      answered: r.answered,
      abandoned: r.abandoned,
      missed: r.missed,
      shortAbandons: r.short_abandons,
      answeredInSl: r.answered_in_sl,
      serviceLevelSec: r.service_level_sec,
      serviceLevel: base > 0 ? r.answered_in_sl / base : null,
      asaSec: r.asa_sec,
    };
  });
}

const WORDS = {
  ru: {
    subject: (q: QueueDayFigures) =>
      `Отчёт по очереди «${q.displayName}» за ${q.day.split('-').reverse().join('.')}`,
    intro: (q: QueueDayFigures) =>
      `Очередь «${q.displayName}» (${q.queue}), ${q.day.split('-').reverse().join('.')}, часовой пояс ${q.timeZone}.`,
    rows: [
      'Поступило',
      'Отвечено',
      'Брошено',
      'Не обслужено',
      'Короткие сбросы',
      'Уровень обслуживания',
      'ASA, с',
    ],
    sl: (q: QueueDayFigures) => `отвечено за ${q.serviceLevelSec} с / (поступило − короткие сбросы)`,
  },
  en: {
    subject: (q: QueueDayFigures) => `Queue "${q.displayName}" report for ${q.day}`,
    intro: (q: QueueDayFigures) =>
      `Queue "${q.displayName}" (${q.queue}), ${q.day}, time zone ${q.timeZone}.`,
    rows: ['Offered', 'Answered', 'Abandoned', 'Missed', 'Short abandons', 'Service level', 'ASA, s'],
    sl: (q: QueueDayFigures) => `answered within ${q.serviceLevelSec} s / (offered − short abandons)`,
  },
} as const;

/** The message of one queue's day in `language`: subject, plain text and HTML. */
export function reportMessage(q: QueueDayFigures, language: 'ru' | 'en') {
  const w = WORDS[language];
  const number = (n: number | null, digits = 0) =>
    n === null
      ? '—'
      : n.toLocaleString(language === 'ru' ? 'ru-RU' : 'en-GB', { maximumFractionDigits: digits });
  const values = [
    number(q.offered),
    number(q.answered),
    number(q.abandoned),
    number(q.missed),
    number(q.shortAbandons),
    q.serviceLevel === null ? '—' : `${number(q.serviceLevel * 100, 1)} %`,
    number(q.asaSec, 1),
  ];
  const lines = w.rows.map((label, i) => `${label}: ${values[i]}`);
  const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    subject: w.subject(q),
    text: `${w.intro(q)}\n\n${lines.join('\n')}\n\n${w.rows[5]} = ${w.sl(q)}\n`,
    html: `<p>${escapeHtml(w.intro(q))}</p><table>${w.rows
      .map(
        (label, i) =>
          `<tr><th align="left">${escapeHtml(label)}</th><td align="right">${escapeHtml(values[i] ?? '')}</td></tr>`,
      )
      .join('')}</table><p><small>${escapeHtml(`${w.rows[5]} = ${w.sl(q)}`)}</small></p>`,
  };
}

/** The supervisors of `queue` with an e-mail address, active, with their language. */
async function supervisorsOf(db: Db, queue: string) {
  return db
    .selectFrom('app.users as u')
    .innerJoin('app.user_queues as uq', 'uq.user_id', 'u.id')
    .where('uq.queue', '=', queue)
    .where('u.role', '=', 'supervisor')
    .where('u.active', '=', true)
    .where('u.email', 'is not', null)
    .select(['u.login', 'u.email', 'u.language'])
    .execute();
}

/**
 * Sends every queue's report of the day before `now` to its supervisors (one message per
 * supervisor and queue). Resolves with what was sent; a failed message is logged and the others
 * still go.
 */
export async function sendQueueReports(
  db: Db,
  settings: Pick<ReportMailSettings, 'smtpUrl' | 'from'>,
  now: Date,
  log: (line: string) => void = console.error,
): Promise<{ queue: string; to: string }[]> {
  const transport = nodemailer.createTransport(settings.smtpUrl);
  const sent: { queue: string; to: string }[] = [];
  try {
    for (const figures of await queueDayFigures(db, now)) {
      for (const person of await supervisorsOf(db, figures.queue)) {
        if (!person.email) continue;
        const message = reportMessage(figures, person.language === 'en' ? 'en' : 'ru');
        try {
          await transport.sendMail({ from: settings.from, to: person.email, ...message });
          sent.push({ queue: figures.queue, to: person.email });
        } catch (error) {
          log(
            `report mail to ${person.login} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    }
  } finally {
    transport.close();
  }
  return sent;
}

/** Schedules {@link sendQueueReports} on `settings.cron`; `stop()` ends the schedule. */
export function startReportMailer(
  db: Db,
  settings: ReportMailSettings,
  log: (line: string) => void = console.error,
) {
  const task = cron.schedule(
    settings.cron,
    async () => {
      const sent = await sendQueueReports(db, settings, new Date(), log).catch((error: unknown) => {
        log(`scheduled report failed: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      });
      log(`scheduled report: ${sent.length} message(s) sent`);
    },
    { timezone: settings.timeZone, noOverlap: true },
  );
  return { stop: () => void task.stop() };
}
