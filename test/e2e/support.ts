// Helpers of the browser journeys: the app's address, its twins (subscribers, SMS codes), API
// calls for setting the scene, sign-in through the pages, console-error and axe checks, and
// screenshots at phone and desktop width.
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
export const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
export const PASSWORD = process.env.BARQ_DEMO_PASSWORD ?? 'barq-demo-1405';
export const url = (p = '') => `${process.env.BARQ_E2E_URL}${p}`;

const toPersian = (s: string) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
export { toPersian };
/** A tracking code as the pages show it: Persian digits in groups of four. */
export const groupedFa = (code: string) => toPersian(code.replace(/(\d{4})(?=\d)/g, '$1 '));

/** Every page records its console errors and uncaught exceptions; a test fails on any. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        // The browser logs every 4xx answer of fetch() as "Failed to load resource"; the journeys
        // provoke some on purpose (a wrong code, an endpoint colleagues are still building) and
        // the page shows them as Persian messages. Anything else is an error of the app.
        if (msg.text().startsWith('Failed to load resource') && /\/api\/v1\//.test(msg.location().url)) return;
        errors.push(`${msg.text()} @ ${msg.location().url}`);
      });
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export async function api<T = any>(method: string, p: string, body?: unknown, token?: string): Promise<T> {
  const r = await fetch(url(p), {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : null,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

export interface Subscriber {
  billId: string;
  owner: { personType: 'natural' | 'legal'; nationalCode?: string; nationalId?: string; firstName?: string; lastName?: string; name?: string; mobile: string };
  connection: { state: string; shared: boolean };
  debtRials: number;
}

/** The n-th natural-person subscriber with an active, unshared connection; each journey uses its own n. */
export async function subscriberAt(n: number): Promise<Subscriber> {
  const { subscribers } = await api<{ subscribers: Subscriber[] }>('GET', '/__twins/billing/subscribers');
  const usable = subscribers.filter((x) => x.owner.personType === 'natural' && x.connection.state === 'active' && !x.connection.shared);
  const mobiles = new Set<string>();
  const distinct = usable.filter((x) => !mobiles.has(x.owner.mobile) && mobiles.add(x.owner.mobile));
  const s = distinct[n];
  if (!s) throw new Error(`no subscriber number ${n}`);
  return s;
}

export async function smsCode(mobile: string): Promise<string> {
  const { messages } = await api<{ messages: Array<{ text: string }> }>('GET', `/__twins/sms/messages?to=${mobile}`);
  const ascii = (messages[0]?.text ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
  const code = ascii.match(/\b\d{6}\b/)?.[0];
  if (!code) throw new Error(`no code in the SMS to ${mobile}`);
  return code;
}

export async function staffToken(username: string): Promise<string> {
  return (await api<{ token: string }>('POST', '/api/v1/auth/login', { username, password: PASSWORD })).token;
}

export async function applicantToken(mobile: string): Promise<string> {
  await api('POST', '/api/v1/auth/otp', { mobile });
  return (await api<{ token: string }>('POST', '/api/v1/auth/otp/verify', { mobile, code: await smsCode(mobile) })).token;
}

/** Files a request through the API (to set the scene for a journey that starts later). */
export async function fileByApi(s: Subscriber, token: string): Promise<string> {
  const view = await api<{ trackingCode: string }>(
    'POST',
    '/api/v1/requests',
    { service: 'temporary-removal', channel: 'web', billId: s.billId, relation: 'owner', applicant: { personType: 'natural', nationalCode: s.owner.nationalCode, firstName: s.owner.firstName, lastName: s.owner.lastName, mobile: s.owner.mobile }, reason: 'تخلیه ملک' },
    token,
  );
  return view.trackingCode;
}

export async function act(code: string, token: string, action: string, payload: Record<string, unknown> = {}) {
  return api('POST', `/api/v1/requests/${code}/actions`, { action, ...payload }, token);
}

/** Applicant sign-in through the portal's one-time-code card (mobile typed in Persian digits). */
export async function signInApplicant(page: Page, mobile: string) {
  await page.getByLabel('شماره همراه').first().fill(toPersian(mobile));
  await page.getByRole('button', { name: 'دریافت کد ورود' }).click();
  await expect(page.getByText('کد ورود به شماره')).toBeVisible();
  await page.getByLabel('کد ورود (۶ رقم)').fill(toPersian(await smsCode(mobile)));
  await page.getByRole('button', { name: 'ورود', exact: true }).click();
  await expect(page.getByRole('button', { name: 'خروج' })).toBeVisible();
}

export async function signInStaff(page: Page, username: string) {
  await page.getByLabel('نام کاربری').fill(username);
  await page.getByLabel('گذرواژه').fill(PASSWORD);
  await page.getByRole('button', { name: 'ورود', exact: true }).click();
  await expect(page.getByRole('button', { name: 'خروج' })).toBeVisible();
}

/** Injects axe-core and fails on serious or critical violations. */
export async function expectAccessible(page: Page, what: string) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  expect(violations, `axe: serious/critical violations on ${what}`).toEqual([]);
}

/** Saves docs/screenshots/<name>-desktop.png (1280 px) and <name>-phone.png (360 px); checks no horizontal overflow at 360 px. */
export async function screenshots(page: Page, name: string) {
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 360, height: 760 });
  await page.waitForTimeout(150);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name}: horizontal overflow at 360 px`).toBeLessThanOrEqual(1);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(size);
}
