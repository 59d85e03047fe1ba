import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loginAs, openBrowser } from '../test/e2e/support/browser.ts';
import {
  apiToken,
  E2E_USERS,
  type E2eUser,
  REPO_ROOT,
  startE2eStack,
} from '../test/e2e/support/e2e-stack.ts';

/**
 * `npm run tour`: the screenshot tour of what a person meets. Starts the main job exactly as the
 * e2e tests do (replayed captures, embedded PostgreSQL and chDB), signs in as each role in Debian's
 * Chromium, opens every page the role may open — in Russian and in English, at 1366×768 and
 * 1920×1080 — and saves one PNG per page under test-artifacts/tour/ (emptied first), plus the login
 * page and the forced password change (docs/roles.md#sign-in) of a user an administrator made. The
 * last line printed is `tour: N screenshots in DIR`.
 *
 * Options (environment): TOUR_DIR overrides the folder.
 */

const OUT_DIR = process.env.TOUR_DIR ?? join(REPO_ROOT, 'test-artifacts', 'tour');
const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
const LANGUAGES = ['ru', 'en'] as const;

interface Stop {
  /** File name part. */
  name: string;
  /** Path under /app. */
  path: string;
  /** Optional step after the page settled (open a drawer...). */
  action?: (page: Page) => Promise<void>;
}

const openFirstCall = async (page: Page) => {
  const row = page.locator('[data-testid="call-row"]').first();
  if (await row.count()) {
    await row.click();
    await page.locator('.mantine-Drawer-content').waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(400);
  }
};

const REPORT_VIEWS = ['daily', 'queues', 'operators', 'categories', 'weekly'];
/** The staffing views (hour / 15-minute intervals, service level over time) of the captures' day. */
const STAFFING_VIEWS = ['intervals', 'service-level'];
const ADMIN_TABS = ['users', 'dictionaries', 'queues', 'archive', 'quality'];
/** The day of the bundled captures (Moscow): the period-based pages open on it. */
const CAPTURES_DAY = 'from=2026-11-21&to=2026-11-21';

const TOUR: { user: E2eUser; stops: Stop[] }[] = [
  {
    user: E2E_USERS.operator,
    stops: [
      { name: 'workspace', path: '/operator' },
      { name: 'journal', path: '/journal' },
      { name: 'journal-call', path: '/journal', action: openFirstCall },
      { name: 'sessions', path: `/sessions?${CAPTURES_DAY}` },
    ],
  },
  {
    user: E2E_USERS.supervisor,
    stops: [
      { name: 'journal', path: '/journal' },
      { name: 'journal-call', path: '/journal', action: openFirstCall },
      ...REPORT_VIEWS.map((view) => ({ name: `reports-${view}`, path: `/reports/${view}` })),
      ...STAFFING_VIEWS.map((view) => ({
        name: `reports-${view}`,
        path: `/reports/${view}?${CAPTURES_DAY}`,
      })),
      { name: 'wallboard', path: '/live' },
      { name: 'missed', path: `/missed?${CAPTURES_DAY}` },
      { name: 'sessions', path: `/sessions?${CAPTURES_DAY}` },
    ],
  },
  {
    user: E2E_USERS.admin,
    stops: [
      { name: 'workspace', path: '/operator' },
      { name: 'journal', path: '/journal' },
      { name: 'reports-daily', path: '/reports/daily' },
      { name: 'wallboard', path: '/live' },
      ...ADMIN_TABS.map((tab) => ({ name: `admin-${tab}`, path: `/admin/${tab}` })),
    ],
  },
];

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
  // Loaders and the reports' download bar: wait until none is shown (bounded; one still shown
  // after 20 s is what a person would see, so the screenshot keeps it).
  await page
    .waitForFunction(
      () => !document.querySelector('.mantine-Loader-root, [data-testid="report-progress"]'),
      undefined,
      { timeout: 20_000 },
    )
    .catch(() => {});
  await page.waitForTimeout(300);
}

async function main(): Promise<void> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const stack = await startE2eStack();
  const browser = await openBrowser();
  let count = 0;
  try {
    // The login page itself, before anyone signs in.
    for (const language of LANGUAGES) {
      for (const viewport of VIEWPORTS) {
        const page = await browser.newPage({ locale: language === 'ru' ? 'ru-RU' : 'en-US' });
        await page.setViewportSize(viewport);
        await page.goto(`${stack.url}/app/login`);
        await page.evaluate((lang) => localStorage.setItem('callcenter.language', lang), language);
        await page.reload();
        await settle(page);
        await page.screenshot({
          path: join(OUT_DIR, `login-${language}-${viewport.width}.png`),
          fullPage: true,
        });
        count++;
        await page.context().close();
      }
    }
    // The forced password change of a user an administrator made (never completed here).
    const newcomer = { login: 'tour-newcomer', password: 'given-by-admin-1' };
    const created = await fetch(`${stack.url}/users`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await apiToken(stack, E2E_USERS.admin)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ ...newcomer, role: 'operator', endpoint: '103' }),
    });
    if (!created.ok) throw new Error(`POST /users: ${created.status} ${await created.text()}`);
    for (const language of LANGUAGES) {
      for (const viewport of VIEWPORTS) {
        const page = await browser.newPage({ locale: language === 'ru' ? 'ru-RU' : 'en-US' });
        await page.setViewportSize(viewport);
        await page.goto(`${stack.url}/app/login`);
        await page.evaluate((lang) => localStorage.setItem('callcenter.language', lang), language);
        await page.reload();
        await page.getByTestId('login-name').fill(newcomer.login);
        await page.getByTestId('login-password').fill(newcomer.password);
        await page.getByTestId('login-submit').click();
        await page.getByTestId('password-change').waitFor({ timeout: 20_000 });
        await settle(page);
        await page.screenshot({
          path: join(OUT_DIR, `password-${language}-${viewport.width}.png`),
          fullPage: true,
        });
        count++;
        await page.context().close();
      }
    }
    for (const { user, stops } of TOUR) {
      for (const language of LANGUAGES) {
        const page = await browser.newPage({ locale: language === 'ru' ? 'ru-RU' : 'en-US' });
        await page.goto(`${stack.url}/app/login`);
        await page.evaluate((lang) => localStorage.setItem('callcenter.language', lang), language);
        await loginAs(page, stack, user);
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize(viewport);
          for (const stop of stops) {
            await page.goto(`${stack.url}/app${stop.path}`);
            await settle(page);
            if (stop.action) {
              await stop.action(page).catch((error: unknown) => {
                console.log(`tour: ${user.role} ${stop.name}: ${String(error).split('\n')[0]}`);
              });
              await settle(page);
            }
            const file = join(OUT_DIR, `${user.role}-${stop.name}-${language}-${viewport.width}.png`);
            await page.screenshot({ path: file, fullPage: true });
            count++;
          }
        }
        await page.context().close();
      }
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
  const errors = browser.pageErrors();
  if (errors.length) console.log(`page errors seen during the tour:\n${errors.join('\n')}`);
  console.log(`tour: ${count} screenshots in ${OUT_DIR}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
