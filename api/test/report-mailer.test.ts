import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportMailSettings, sendQueueReports } from '../src/mail/report-mailer.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * The scheduled report by e-mail against a real SMTP server on loopback (the smtp-server package),
 * messages parsed back with mailparser: each queue's previous local day goes to that queue's
 * supervisors with an address, in their language, with the day's figures counted from the
 * database independently here.
 */

let kit: ApiTestKit;
let smtp: SMTPServer;
let port: number;
const inbox: { to: string[]; mail: ParsedMail }[] = [];

beforeAll(async () => {
  kit = await openApiTestKit();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      simpleParser(stream)
        .then((mail) => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
  const db = kit.stores.postgres.db;
  const support = await kit.user({ login: 'mail-support', role: 'supervisor', queues: ['support'] });
  const sales = await kit.user({ login: 'mail-sales', role: 'supervisor', queues: ['sales'] });
  await kit.user({ login: 'mail-noaddress', role: 'supervisor', queues: ['support'] });
  await db
    .updateTable('app.users')
    .set({ email: 'support-head@clinic.test' })
    .where('id', '=', support.user.id)
    .execute();
  await db
    .updateTable('app.users')
    .set({ email: 'sales-head@clinic.test', language: 'en' })
    .where('id', '=', sales.user.id)
    .execute();
});

afterAll(async () => {
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await kit?.dispose();
});

describe('scheduled report by e-mail', () => {
  it('reads its settings from the environment and refuses a bad cron expression', () => {
    expect(reportMailSettings({})).toBeNull();
    expect(
      reportMailSettings({
        REPORT_MAIL_CRON: '0 8 * * *',
        SMTP_URL: 'smtp://127.0.0.1:25',
        REPORT_MAIL_FROM: 'cc@clinic.test',
      }),
    ).toEqual({ cron: '0 8 * * *', timeZone: 'UTC', smtpUrl: 'smtp://127.0.0.1:25', from: 'cc@clinic.test' });
    expect(() => reportMailSettings({ REPORT_MAIL_CRON: 'every day', SMTP_URL: 'smtp://x' })).toThrow(
      /REPORT_MAIL_CRON/,
    );
    expect(() => reportMailSettings({ REPORT_MAIL_CRON: '0 8 * * *', SMTP_URL: 'smtp://x' })).toThrow(
      /REPORT_MAIL_FROM/,
    );
  });

  it("sends each queue's previous day to its supervisors over SMTP, figures equal to the database's", async () => {
    const db = kit.stores.postgres.db;
    const queue = await db
      .selectFrom('app.queues')
      .where('name', '=', 'support')
      .select(['time_zone', 'service_level_sec'])
      .executeTakeFirstOrThrow();
    const calls = await db
      .selectFrom('app.calls')
      .where('queue', '=', 'support')
      .where('direction', '=', 'inbound')
      .select(['started_at', 'status', 'queue_wait_sec'])
      .execute();
    const localDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: queue.time_zone }).format(d);
    const day = localDay(calls[0]!.started_at);
    const ofDay = calls.filter((c) => localDay(c.started_at) === day);
    expect(ofDay.length).toBeGreaterThan(0);
    // 08:00 UTC the next day, as the cron would fire.
    const now = new Date(`${day}T00:00:00Z`);
    now.setUTCDate(now.getUTCDate() + 1);
    now.setUTCHours(8);

    const sent = await sendQueueReports(
      db,
      { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'cc@clinic.test' },
      now,
      () => {},
    );
    expect(sent).toEqual(
      expect.arrayContaining([
        { queue: 'support', to: 'support-head@clinic.test' },
        { queue: 'sales', to: 'sales-head@clinic.test' },
      ]),
    );
    expect(sent).toHaveLength(2); // the supervisor without an address gets nothing
    expect(inbox).toHaveLength(2);

    const toSupport = inbox.find((m) => m.to.includes('support-head@clinic.test'))!;
    const [y, m, d] = day.split('-');
    expect(toSupport.mail.subject).toContain(`${d}.${m}.${y}`);
    expect(toSupport.mail.from?.text).toBe('cc@clinic.test');
    const text = toSupport.mail.text ?? '';
    const figure = (label: string) => Number(new RegExp(`${label}: (\\d+)`).exec(text)?.[1]);
    expect(figure('Поступило')).toBe(ofDay.length);
    expect(figure('Отвечено')).toBe(ofDay.filter((c) => c.status === 'answered').length);
    expect(figure('Брошено')).toBe(ofDay.filter((c) => c.status === 'abandoned').length);
    expect(text).toContain(`отвечено за ${queue.service_level_sec} с`);
    expect(toSupport.mail.html).toContain('<table>');

    const toSales = inbox.find((m) => m.to.includes('sales-head@clinic.test'))!;
    expect(toSales.mail.subject).toMatch(/^Queue ".*" report for \d{4}-\d{2}-\d{2}$/);
    expect(toSales.mail.text).toContain('Offered: ');
  });
});
