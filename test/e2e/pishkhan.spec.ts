// A Pishkhan operator signs in, files a request for a walk-in citizen (channel pishkhan, the
// office recorded), gets the printable receipt with the tracking code, and sees it among the
// office's requests.
import { groupedFa, expect, expectAccessible, screenshots, signInStaff, subscriberAt, test, toPersian, url } from './support.ts';

test('a Pishkhan operator files a request for a walk-in citizen', async ({ page }) => {
  const s = await subscriberAt(1);
  await page.goto(url('/pishkhan'));
  await expect(page.getByRole('heading', { name: 'ورود به میز دفتر پیشخوان' })).toBeVisible();
  await expectAccessible(page, 'Pishkhan sign-in');
  await screenshots(page, 'pishkhan-sign-in');

  await page.getByLabel('نام کاربری').fill('pishkhan-operator');
  await page.getByLabel('گذرواژه').fill('wrong-password');
  await page.getByRole('button', { name: 'ورود', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'نام کاربری یا گذرواژه درست نیست.' })).toBeVisible();
  await signInStaff(page, 'pishkhan-operator');
  await expect(page.getByText('دفتر ۳۷۱۰۰۱۲۳')).toBeVisible();

  await page.getByLabel('شناسه قبض برق').fill(toPersian(s.billId));
  await page.getByLabel('نام', { exact: true }).fill(s.owner.firstName!);
  await page.getByLabel('نام خانوادگی').fill(s.owner.lastName!);
  await page.getByLabel('کد ملی (۱۰ رقم)').fill(s.owner.nationalCode!);
  await page.getByLabel('شماره همراه').fill('۰۹۱۲');
  await expect(page.getByText('شماره همراه باید مانند ۰۹۱۲۱۲۳۴۵۶۷ باشد.')).toBeVisible();
  await page.getByLabel('شماره همراه').fill(toPersian(s.owner.mobile));
  await page.getByLabel('قاعده بازنگشتن وجوه پرداخت‌شده را خواندم و می‌پذیرم.').check();
  await expectAccessible(page, 'Pishkhan desk');
  await screenshots(page, 'pishkhan-desk');
  await page.getByRole('button', { name: 'ثبت درخواست و صدور رسید' }).click();

  await expect(page).toHaveURL(/\/pishkhan\/receipt\/\d{12}$/);
  const code = page.url().match(/(\d{12})$/)![1]!;
  await expect(page.getByRole('heading', { name: 'رسید ثبت درخواست جمع‌آوری موقت انشعاب' })).toBeVisible();
  await expect(page.getByText('دفتر پیشخوان ۳۷۱۰۰۱۲۳')).toBeVisible();
  await expect(page.getByRole('button', { name: 'چاپ رسید' })).toBeVisible();
  await expectAccessible(page, 'Pishkhan receipt');
  await screenshots(page, 'pishkhan-receipt');

  await page.getByRole('link', { name: 'ثبت درخواست دیگر' }).click();
  await page.getByRole('tab', { name: 'درخواست‌های دفتر' }).click();
  await expect(page.getByRole('link', { name: groupedFa(code), exact: true })).toBeVisible();
});
