// A citizen refuses the conditions and the request is archived; the administration pages and
// the staff inbox load, pass the axe scan, and the admin adds a user and a holiday.
import { act, applicantToken, api, expect, expectAccessible, fileByApi, screenshots, signInApplicant, signInStaff, staffToken, subscriberAt, test, url } from './support.ts';

test('a citizen refuses the conditions and the request is archived', async ({ page }) => {
  const s = await subscriberAt(3);
  const applicant = await applicantToken(s.owner.mobile);
  const code = await fileByApi(s, applicant);
  const clerk = await staffToken('clerk');
  await act(code, clerk, 'quote');
  // Paying is not this journey's subject: the gateway twin completes the payments directly.
  const view = await api<{ amountsDue: Array<{ id: string; paid: boolean }> }>('GET', `/api/v1/requests/${code}`, undefined, applicant);
  for (const due of view.amountsDue.filter((d) => !d.paid)) {
    const { paymentUrl } = await api<{ paymentUrl: string }>('POST', `/api/v1/requests/${code}/payments`, { amountDueId: due.id }, applicant);
    await api('POST', new URL(paymentUrl).pathname, { outcome: 'success' });
  }
  await act(code, await staffToken('meter-tester'), 'record-meter-test', { result: 'tampered', reading: 7100, damagedItems: ['seal'] });
  await act(code, clerk, 'announce-conditions', { notes: 'پلمب دستکاری شده است؛ خسارت طبق تعرفه.' });

  await page.goto(url(`/requests/${code}`));
  await signInApplicant(page, s.owner.mobile);
  await expect(page.getByRole('heading', { name: 'شرایط فنی و مالی جمع‌آوری' })).toBeVisible();
  await expect(page.getByText('پلمب دستکاری شده است؛ خسارت طبق تعرفه.')).toBeVisible();
  await expectAccessible(page, 'conditions');
  await screenshots(page, 'citizen-conditions');
  await page.getByRole('button', { name: 'شرایط را نمی‌پذیرم' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('درخواست بایگانی می‌شود')).toBeVisible();
  await expect(dialog.getByText('بازگردانده نمی‌شود')).toBeVisible();
  await dialog.getByRole('button', { name: 'نمی‌پذیرم؛ بایگانی شود' }).click();
  await expect(page.locator('.state-tag').first()).toHaveText('بایگانی‌شده (عدم پذیرش شرایط)');
  await expect(page.getByText('درخواست بایگانی شده است؛ برای جمع‌آوری باید درخواست تازه ثبت کنید.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'شرایط را می‌پذیرم' })).toHaveCount(0);
});

test('administration pages and the staff inbox', async ({ page }) => {
  await page.goto(url('/admin'));
  await expect(page.getByRole('heading', { name: 'ورود به مدیریت سامانه' })).toBeVisible();
  await signInStaff(page, 'admin');
  await expect(page.getByRole('heading', { name: /^کاربران/ })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'pishkhan-operator' })).toBeVisible();
  await expectAccessible(page, 'admin users');
  await screenshots(page, 'admin-users');

  await page.getByLabel('نام و نام خانوادگی').fill('مریم احمدی');
  await page.getByLabel('نام کاربری (لاتین)').fill('maryam');
  await page.getByLabel('گذرواژه اولیه').fill('a-long-password');
  await page.getByRole('checkbox', { name: 'کارشناس مالی' }).check();
  await page.getByRole('button', { name: 'افزودن کاربر' }).click();
  await expect(page.getByRole('cell', { name: 'maryam' })).toBeVisible();

  await page.getByRole('tab', { name: 'تقویم کاری' }).click();
  await expect(page.getByRole('heading', { name: 'روزها و ساعات کاری' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'آغاز نوروز', exact: true })).toBeVisible();
  await page.getByRole('textbox', { name: 'تاریخ' }).fill('1405/12/10');
  await page.getByRole('textbox', { name: 'عنوان' }).fill('تعطیلی آزمایشی');
  await page.getByRole('button', { name: 'افزودن تعطیل' }).click();
  // The typed date is read as Jalali: 1405/12/10 is 2027-03-01.
  const admin = await staffToken('admin');
  await expect
    .poll(async () => (await api<{ holidays: Array<{ title: string; date: string; gregorian: string }> }>('GET', '/api/v1/admin/calendar/holidays?year=1405', undefined, admin)).holidays.find((h) => h.title === 'تعطیلی آزمایشی'))
    .toMatchObject({ date: '1405-12-10', gregorian: '2027-03-01' });
  await expectAccessible(page, 'admin calendar');
  await screenshots(page, 'admin-calendar');

  await page.getByRole('tab', { name: 'توافقنامه سطح خدمت' }).click();
  await expect(page.getByText('در حال اجرا')).toBeVisible();
  await expectAccessible(page, 'admin agreements');
  await screenshots(page, 'admin-agreements');

  await page.getByRole('tab', { name: 'تعرفه‌ها' }).click();
  await expect(page.getByText(/هنوز در این نسخه سامانه فعال نشده است|تعرفه از/).first()).toBeVisible();
  await page.getByRole('tab', { name: 'متن پیامک‌ها' }).click();
  await expect(page.getByText(/هنوز در این نسخه سامانه فعال نشده است|قالب پیامک/).first()).toBeVisible();
  await expectAccessible(page, 'admin SMS templates');

  await page.goto(url('/staff/inbox'));
  await expect(page.getByRole('heading', { name: 'کارتابل هشدارها' })).toBeVisible();
  await expectAccessible(page, 'staff inbox');
});
