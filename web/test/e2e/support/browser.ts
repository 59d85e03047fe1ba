import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './debian-chromium.ts';
import { ARTIFACTS_DIR, type E2eStack, type E2eUser } from './e2e-stack.ts';

/**
 * Debian's Chromium (debian-chromium.ts) driven by playwright-core — never a downloaded browser.
 * Each `newPage()` opens a fresh browser context (own cookies, so own refresh token): one per
 * signed-in user.
 *
 * @example
 *   const browser = await openBrowser();
 *   const page = await browser.newPage(stack);
 *   await loginAs(page, stack, E2E_USERS.supervisor);
 *   await screenshot(page, 'journal');
 *   await browser.close();
 */

export interface E2eBrowser {
  browser: Browser;
  /** A page in a new context (fresh profile state), viewport 1440×900, Russian locale by default. */
  newPage(options?: {
    locale?: string;
    acceptDownloads?: boolean;
    /** The browser's IANA zone (default Europe/Moscow). */
    timezoneId?: string;
    viewport?: { width: number; height: number };
  }): Promise<Page>;
  /** Uncaught page errors and console errors of every page opened so far. */
  pageErrors(): string[];
  close(): Promise<void>;
}

/**
 * Launches Chromium. playwright gives the launch a fresh temporary user-data-dir of its own (and
 * removes it on close), so no profile state leaks between runs.
 */
export async function openBrowser(): Promise<E2eBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  return {
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: options.viewport ?? { width: 1440, height: 900 },
        locale: options.locale ?? 'ru-RU',
        timezoneId: options.timezoneId ?? 'Europe/Moscow',
        acceptDownloads: options.acceptDownloads ?? true,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        // Failed fetches show up as console errors too; tests assert the statuses they expect instead.
        if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
          errors.push(`console: ${message.text()}`);
        }
      });
      return page;
    },
    pageErrors: () => [...errors],
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
    },
  };
}

/**
 * Signs `user` in through the login page (`/app/login`) and waits for the signed-in shell (its
 * navigation). Uses the page's own form, so it tests the login page too.
 */
export async function loginAs(page: Page, stack: Pick<E2eStack, 'url'>, user: E2eUser): Promise<void> {
  await page.goto(`${stack.url}/app/login`);
  await page.getByTestId('login-name').fill(user.login);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-nav').waitFor({ state: 'visible', timeout: 20_000 });
}

/**
 * On the forced password page (docs/roles.md#sign-in: a user whose password an administrator chose
 * in the web app, or a demo user), chooses `next` and waits for the app's navigation. The browser
 * tests' own users are made with `callcenter user add` and keep their password: they never need it.
 */
export async function chooseOwnPassword(page: Page, current: string, next: string): Promise<void> {
  await page.getByTestId('password-change').waitFor({ timeout: 20_000 });
  await page.getByTestId('password-current').fill(current);
  await page.getByTestId('password-next').fill(next);
  await page.getByTestId('password-repeat').fill(next);
  await page.getByTestId('password-submit').click();
  await page.getByTestId('app-nav').waitFor({ state: 'visible', timeout: 20_000 });
}

/** Saves a full-page PNG to test-artifacts/e2e/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
