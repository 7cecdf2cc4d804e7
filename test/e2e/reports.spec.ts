// Issue 7 in the browser: requests are filed and walked through the API with the demo accounts
// (web and Pishkhan; completed, archived, withdrawn, open), an applicant answers the survey from
// the SMS link's page, a supervisor reads the dashboard (filters, charts, the agreement review
// with its Excel and CSV downloads), and an auditor filters and exports the event log.
import { api, expect, expectAccessible, screenshots, signInStaff, subscriberAt, test, toPersian, url } from './support.ts';
import { seedRequest, staffToken, surveyToken, type Seeded } from './seed.ts';

const fa = (n: number) => new Intl.NumberFormat('fa-IR', { maximumFractionDigits: 1 }).format(n);
let seeded: Seeded[] = [];

test.describe.serial('reports, survey and audit', () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const plan = [
      ['completed', 'web'],
      ['completed', 'pishkhan'],
      ['completed', 'web'],
      ['archived', 'web'],
      ['withdrawn', 'web'],
      ['submitted', 'web'],
      ['awaiting-payment', 'pishkhan'],
    ] as const;
    seeded = [];
    for (const [i, [outcome, channel]] of plan.entries()) seeded.push(await seedRequest(await subscriberAt(20 + i), outcome, channel));
    // Two more answers through the API, so satisfaction has more than one voice.
    const low = seeded[1]!;
    await api('POST', `/api/v1/surveys/${await surveyToken(low.mobile, low.code)}`, { overall: 2, steps: { quote: 3, removal: 1 }, tags: ['crew-late', 'costs-high'], comment: 'اکیپ دیر آمد و هماهنگی نشد.' });
    const archived = seeded[3]!;
    await api('POST', `/api/v1/surveys/${await surveyToken(archived.mobile, archived.code)}`, { overall: 3, tags: ['conditions-unclear'] });
  });

  test('the applicant answers the survey from the SMS link', async ({ page }) => {
    const { code, mobile } = seeded[0]!;
    const token = await surveyToken(mobile, code);

    await page.goto(url('/survey/not-a-real-survey-link-123456'));
    await expect(page.getByRole('heading', { name: 'این پیوند نظرسنجی معتبر نیست' })).toBeVisible();

    await page.goto(url(`/survey/${token}`));
    await expect(page.getByRole('heading', { name: 'نظرسنجی خدمت جمع‌آوری موقت انشعاب' })).toBeVisible();
    await expect(page.getByText(toPersian(code.slice(0, 4)))).toBeVisible();
    await expect(page.getByRole('group', { name: 'رضایت شما از مرحله «آزمایش کنتور»' })).toBeVisible();
    await expectAccessible(page, 'survey');
    await screenshots(page, 'survey');

    // The overall score is required; the message is Persian.
    await page.getByRole('button', { name: 'ثبت پاسخ' }).click();
    await expect(page.getByText('لطفاً یک امتیاز از ۱ تا ۵ انتخاب کنید.')).toBeVisible();

    await page.getByRole('group', { name: 'در مجموع از این خدمت چقدر راضی بودید؟' }).getByText('۴ — خوب', { exact: true }).click();
    await page.getByRole('group', { name: 'رضایت شما از مرحله «جمع‌آوری انشعاب»' }).getByText('۵ — عالی', { exact: true }).click();
    await page.getByRole('group', { name: 'رضایت شما از مرحله «بررسی و اعلام هزینه»' }).getByRole('radio', { name: '۳ — متوسط' }).focus();
    await page.keyboard.press('Space');
    await expect(page.getByRole('group', { name: 'در مجموع از این خدمت چقدر راضی بودید؟' }).getByRole('radio', { name: '۴ — خوب' })).toBeChecked();
    await expect(page.getByRole('group', { name: 'رضایت شما از مرحله «بررسی و اعلام هزینه»' }).getByRole('radio', { name: '۳ — متوسط' })).toBeChecked();
    await page.getByRole('checkbox', { name: 'برخورد کارکنان خوب بود' }).check();
    await page.getByLabel('اگر نکته یا پیشنهادی دارید بنویسید (اختیاری)').fill('کارکنان با حوصله راهنمایی کردند.');
    await page.getByRole('button', { name: 'ثبت پاسخ' }).click();
    await expect(page.getByRole('heading', { name: 'پاسخ شما ثبت شد' })).toBeVisible();

    await page.reload();
    await expect(page.getByRole('heading', { name: 'به این نظرسنجی پیش‌تر پاسخ داده‌اید' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'ثبت پاسخ' })).toHaveCount(0);
  });

  test('a supervisor reads the dashboard and downloads the agreement review', async ({ page }) => {
    const expected = await api('GET', '/api/v1/reports/dashboard', undefined, await staffToken('supervisor'));
    expect(expected.volume.total).toBeGreaterThanOrEqual(seeded.length);

    await page.goto(url('/staff'));
    await signInStaff(page, 'supervisor');
    await page.getByRole('link', { name: 'داشبورد' }).click();
    await expect(page.getByRole('heading', { name: 'داشبورد پایش توافقنامه سطح خدمت' })).toBeVisible();

    const facts = page.getByRole('list', { name: 'شاخص‌های اصلی' });
    await expect(facts.getByRole('listitem').filter({ hasText: 'درخواست ثبت‌شده' })).toContainText(fa(expected.volume.total));
    await expect(facts.getByRole('listitem').filter({ hasText: 'رضایت کلی' })).toContainText(`${new Intl.NumberFormat('fa-IR', { maximumFractionDigits: 2 }).format(expected.satisfaction.overall.value)} از ۵`);
    const byChannel = page.getByRole('figure', { name: 'درخواست‌ها به تفکیک درگاه' });
    await expect(byChannel.getByRole('listitem').filter({ hasText: 'دفاتر پیشخوان' })).toContainText(fa(expected.volume.byChannel.find((c: { key: string }) => c.key === 'pishkhan').value));
    await expect(page.getByRole('figure', { name: 'درخواست‌ها به تفکیک دفتر پیشخوان' })).toContainText('دفتر پیشخوان ۳۷۱۰۰۱۲۳');
    for (const name of ['درصد رعایت موعد هر مرحله', 'زمان کاری هر مرحله در برابر هدف', 'تأخیرها به تفکیک مرحله', 'تأخیرها به تفکیک واحد مسئول', 'کارهای مانده به تفکیک وضعیت', 'کارهای مانده به تفکیک سن درخواست', 'رضایت به تفکیک مرحله', 'رضایت به تفکیک درگاه']) {
      await expect(page.getByRole('figure', { name })).toBeVisible();
    }
    await expect(page.getByRole('img', { name: /^درخواست‌های ثبت‌شده و انجام‌شده در هر هفته/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /^رعایت موعد در هر ماه/ })).toBeVisible();
    const review = page.locator('.review-table');
    await expect(review.getByRole('cell', { name: /جمع‌آوری انشعاب/ }).first()).toBeVisible();
    await expect(review.getByText('اکیپ دیر آمد (۱)')).toBeVisible();
    await expectAccessible(page, 'dashboard');
    await screenshots(page, 'dashboard');

    // Downloads with the bearer token.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'دریافت اکسل' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^agreement-review_.*\.xlsx$/);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'دریافت CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);

    // Filters: the Jalali period and one channel, kept in the address.
    // The default period starts on the 1st of the current Jalali month: pick that day on the Jalali calendar.
    expect(expected.period.from).toMatch(/-01$/);
    await page.locator('.filter-grid').getByRole('button', { name: 'انتخاب از تقویم' }).first().click();
    await page.locator('.rmdp-day:not(.rmdp-deactive)').getByText('۱', { exact: true }).first().click();
    await expect(page.locator('.filter-grid .jalali-input').first()).toHaveValue(toPersian(expected.period.from.replace(/-/g, '/')));
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'درگاه ثبت' }).click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'دفاتر پیشخوان' }).click();
    await page.getByRole('button', { name: 'نمایش' }).click();
    await expect(page).toHaveURL(/channel=pishkhan/);
    await expect(page).toHaveURL(new RegExp(`from=${expected.period.from}`));
    await expect(page.getByText(/· درگاه دفاتر پیشخوان/)).toBeVisible();
    const pishkhanOnly = await api('GET', `/api/v1/reports/dashboard?channel=pishkhan&from=${expected.period.from}`, undefined, await staffToken('supervisor'));
    await expect(facts.getByRole('listitem').filter({ hasText: 'درخواست ثبت‌شده' })).toContainText(fa(pishkhanOnly.volume.total));
    await page.getByRole('button', { name: 'پاک کردن فیلترها' }).click();
    await expect(page).not.toHaveURL(/channel=/);
  });

  test('an auditor filters and exports the event log', async ({ page }) => {
    const { code } = seeded[0]!;
    await page.goto(url('/staff'));
    await signInStaff(page, 'auditor');
    await page.getByRole('link', { name: 'رویدادها (حسابرسی)' }).click();
    await expect(page.getByRole('heading', { name: 'رویدادهای درخواست‌ها (حسابرسی)' })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'ثبت درخواست' }).first()).toBeVisible();
    await expect(page.locator('.ant-pagination')).toBeVisible();

    await page.getByLabel('کد رهگیری').fill(toPersian(code));
    await page.getByRole('button', { name: 'جست‌وجو' }).click();
    await expect(page).toHaveURL(new RegExp(`trackingCode=${code}`));
    await expect(page.getByRole('heading', { name: /رویداد$/ })).toContainText(/[۱-۹]/);
    await expect(page.getByRole('cell', { name: 'ثبت درخواست' })).toHaveCount(1);
    await expect(page.getByRole('cell', { name: 'ثبت جمع‌آوری انشعاب' })).toBeVisible();
    await expectAccessible(page, 'audit');
    await screenshots(page, 'audit');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'خروجی CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('audit-events.csv');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'خروجی اکسل' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('audit-events.xlsx');

    // A wrong tracking code is refused on the form, in Persian.
    await page.getByLabel('کد رهگیری').fill('۱۲۳');
    await page.getByRole('button', { name: 'جست‌وجو' }).click();
    await expect(page.getByText('کد رهگیری ۱۲ رقم است.')).toBeVisible();
  });
});
