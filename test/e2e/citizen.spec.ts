// A citizen reads the service information form, signs in with a one-time code, files a request
// (bill ID checked as typed, digits typed in Persian), sees it in "my requests", and tracks it
// publicly with the tracking code and national code.
import { groupedFa, expect, expectAccessible, screenshots, signInApplicant, subscriberAt, test, toPersian, url } from './support.ts';

test('a citizen files a request and tracks it', async ({ page }) => {
  const s = await subscriberAt(0);
  await page.goto(url('/'));
  await expect(page.getByRole('heading', { level: 1, name: 'جمع‌آوری موقت انشعاب' })).toBeVisible();
  await expect(page.getByText('مراحل انجام خدمت')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('Vazirmatn');
  await expectAccessible(page, 'citizen portal');
  await screenshots(page, 'citizen-portal');

  await signInApplicant(page, s.owner.mobile);
  await expect(page.getByRole('heading', { name: 'درخواست‌های من' })).toBeVisible();
  await expect(page.getByText('هنوز درخواستی ثبت نکرده‌اید.')).toBeVisible();
  await page.getByRole('button', { name: 'ثبت درخواست', exact: true }).click();
  await expect(page).toHaveURL(/\/requests\/new$/);

  // The bill ID is checked as it is typed: a wrong check digit is refused before anything is sent.
  const bill = page.getByLabel('شناسه قبض برق');
  const wrong = s.billId.slice(0, -1) + String((Number(s.billId.at(-1)) + 1) % 10);
  await bill.fill(toPersian(wrong));
  await expect(page.getByText('شناسه قبض معتبر نیست')).toBeVisible();
  await bill.fill(toPersian(s.billId));
  await expect(page.getByText('شناسه قبض معتبر است')).toBeVisible();
  await page.getByLabel('نام', { exact: true }).fill(s.owner.firstName!);
  await page.getByLabel('نام خانوادگی').fill(s.owner.lastName!);
  await page.getByLabel('کد ملی (۱۰ رقم)').fill(toPersian(s.owner.nationalCode!));
  await page.getByRole('radio', { name: 'تخلیه یا فروش ملک' }).check();
  await expect(page.getByText('هزینه‌های پرداخت‌شده بازگردانده نمی‌شود')).toBeVisible();
  await expectAccessible(page, 'request form');
  await screenshots(page, 'citizen-file-request');

  // Submitting without accepting the no-refund rule is refused on the page.
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await expect(page.getByText('برای ثبت درخواست، این شرط را بپذیرید.')).toBeVisible();
  await page.getByLabel('قاعده بازنگشتن وجوه پرداخت‌شده را خواندم و می‌پذیرم.').check();
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();

  await expect(page).toHaveURL(/\/requests\/\d{12}\?filed=1$/);
  await expect(page.getByText('درخواست شما ثبت شد')).toBeVisible();
  const code = page.url().match(/requests\/(\d{12})/)![1]!;
  await expect(page.getByText('اکنون چه باید کرد؟')).toBeVisible();
  await expect(page.getByText('تاریخ وعده‌داده‌شده برای پایان کار')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'مراحل درخواست' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'نمودار زمان‌بندی مراحل درخواست' })).toBeVisible();
  await expectAccessible(page, 'request page');
  await screenshots(page, 'citizen-request');

  // Filing the same connection again is refused with the API's Persian message on the bill ID.
  await page.goto(url('/requests/new'));
  await page.getByLabel('شناسه قبض برق').fill(s.billId);
  await page.getByLabel('نام', { exact: true }).fill(s.owner.firstName!);
  await page.getByLabel('نام خانوادگی').fill(s.owner.lastName!);
  await page.getByLabel('کد ملی (۱۰ رقم)').fill(s.owner.nationalCode!);
  await page.getByLabel('قاعده بازنگشتن وجوه پرداخت‌شده را خواندم و می‌پذیرم.').check();
  await page.getByRole('button', { name: 'ثبت درخواست' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'برای این انشعاب یک درخواست باز وجود دارد' })).toBeVisible();

  await page.goto(url('/'));
  await expect(page.getByRole('link', { name: groupedFa(code), exact: true })).toBeVisible();

  // Public tracking, as from the SMS link.
  await page.goto(url(`/track?code=${code}`));
  await expect(page.getByLabel('کد رهگیری (۱۲ رقم)')).toHaveValue(code);
  await page.getByLabel('کد ملی (۱۰ رقم)').fill('0012345679');
  await page.getByRole('button', { name: 'پیگیری', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'درخواستی با این کد رهگیری' })).toBeVisible();
  await page.getByLabel('کد ملی (۱۰ رقم)').fill(toPersian(s.owner.nationalCode!));
  await page.getByRole('button', { name: 'پیگیری', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'نتیجه پیگیری' })).toBeVisible();
  await expect(page.getByText('ثبت‌شده، در انتظار بررسی و اعلام هزینه').first()).toBeVisible();
  await expect(page.getByText('تاریخ وعده‌داده‌شده')).toBeVisible();
  await expectAccessible(page, 'public tracking');
  await screenshots(page, 'track');
});
