// Staff take a request through every step to `completed` in the browser: the clerk quotes, the
// applicant pays on the gateway twin's page, the meter tester records the test, the clerk
// announces the conditions, the applicant accepts, the clerk schedules the removal with the
// Jalali picker's shortcut, the field crew records it (a damaged seal), the applicant settles,
// and the result document is printable. Actions the role may not take are disabled with a reason.
import type { Page } from '@playwright/test';
import { groupedFa, applicantToken, expect, expectAccessible, fileByApi, screenshots, signInApplicant, signInStaff, subscriberAt, test, url } from './support.ts';

async function asStaff(page: Page, username: string, code: string) {
  await page.goto(url('/staff'));
  await expect(page.getByRole('button', { name: 'خروج' }).or(page.getByLabel('نام کاربری'))).toBeVisible();
  if (await page.getByRole('button', { name: 'خروج' }).isVisible()) {
    await page.getByRole('button', { name: 'خروج' }).click();
  }
  await signInStaff(page, username);
  await page.goto(url(`/staff/requests/${code}`));
  await expect(page.getByRole('heading', { name: 'اقدام‌ها' })).toBeVisible();
}

async function payEverything(citizen: Page, code: string) {
  for (let i = 0; i < 5; i++) {
    await citizen.goto(url(`/requests/${code}`));
    await expect(citizen.getByRole('heading', { name: 'مبالغ' })).toBeVisible();
    const pay = citizen.getByRole('button', { name: /^پرداخت / });
    if ((await pay.count()) === 0) return;
    await expect(citizen.getByText('پیش از پرداخت بدانید')).toBeVisible();
    await pay.first().click();
    await expect(citizen).toHaveURL(/__twins\/gateway\/pay\//);
    await expect(citizen.getByRole('heading', { name: 'درگاه پرداخت اینترنتی' })).toBeVisible();
    await citizen.getByRole('button', { name: 'پرداخت', exact: true }).click();
    await expect(citizen).toHaveURL(new RegExp(`/requests/${code}\\?payment=paid`));
    await expect(citizen.getByText('پرداخت با موفقیت انجام شد')).toBeVisible();
  }
  throw new Error('amounts still unpaid after five payments');
}

const stateTag = (page: Page, title: string) => expect(page.locator('.state-tag').first()).toHaveText(title);

test('staff take a request through every step to completed', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const s = await subscriberAt(2);
  const code = await fileByApi(s, await applicantToken(s.owner.mobile));
  const citizenContext = await browser.newContext({ locale: 'fa-IR', timezoneId: 'Asia/Tehran' });
  const citizen = await citizenContext.newPage();
  const citizenErrors: string[] = [];
  citizen.on('pageerror', (e) => citizenErrors.push(e.message));
  await citizen.goto(url('/'));
  await signInApplicant(citizen, s.owner.mobile);

  // Clerk: the queue shows the request with its clock; the quote.
  await page.goto(url('/staff'));
  await expect(page.getByRole('heading', { name: 'ورود به میز کار کارکنان' })).toBeVisible();
  await expectAccessible(page, 'staff sign-in');
  await screenshots(page, 'staff-sign-in');
  await signInStaff(page, 'clerk');
  const row = page.getByRole('link', { name: groupedFa(code), exact: true });
  await expect(row).toBeVisible();
  await expect(page.getByText(/کاری مانده|کاری تأخیر/).first()).toBeVisible();
  await expectAccessible(page, 'work queue');
  await screenshots(page, 'staff-queue');
  await row.click();
  await expect(page.getByRole('heading', { name: 'اقدام‌ها' })).toBeVisible();
  await stateTag(page, 'ثبت‌شده، در انتظار بررسی و اعلام هزینه');
  await page.getByRole('button', { name: 'اعلام هزینه' }).click();
  await stateTag(page, 'در انتظار پرداخت هزینه و بدهی');

  // Applicant: pays every amount on the gateway page.
  await payEverything(citizen, code);
  await stateTag(citizen, 'آزمایش کنتور');

  // Clerk: the meter-test record belongs to the meter tester, and the conditions wait for it.
  await page.goto(url(`/staff/requests/${code}`));
  const meterCard = page.locator('.action-card').filter({ hasText: 'ثبت نتیجه آزمایش کنتور' });
  await expect(meterCard.getByRole('note')).toContainText('کارشناس آزمایش کنتور');
  await expect(meterCard.getByRole('button', { name: 'ثبت نتیجه آزمایش' })).toBeDisabled();
  const announceCard = page.locator('.action-card').filter({ hasText: 'اعلام شرایط فنی و مالی' });
  await expect(announceCard.getByRole('note')).toContainText('نتیجه آزمایش کنتور باید ثبت شود');

  // Meter tester.
  await asStaff(page, 'meter-tester', code);
  await page.getByLabel('شماره کنتور هنگام آزمایش').fill('۵۲۱۰');
  await page.getByRole('combobox', { name: /شماره پلمب‌ها/ }).first().fill('S-1');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'ثبت نتیجه آزمایش' }).click();
  await expect(page.getByText(/سالم؛ شماره ۵٬۲۱۰/)).toBeVisible();

  // Clerk announces the conditions.
  await asStaff(page, 'clerk', code);
  await page.getByLabel('توضیح برای متقاضی').fill('کنتور سالم است؛ حضور مالک هنگام جمع‌آوری لازم است.');
  await page.getByRole('button', { name: 'اعلام شرایط به متقاضی' }).click();
  await stateTag(page, 'در انتظار پذیرش شرایط فنی و مالی');

  // Applicant accepts.
  await citizen.goto(url(`/requests/${code}`));
  await expect(citizen.getByRole('heading', { name: 'شرایط فنی و مالی جمع‌آوری' })).toBeVisible();
  await expect(citizen.getByText('کنتور سالم است؛ حضور مالک هنگام جمع‌آوری لازم است.')).toBeVisible();
  await citizen.getByRole('button', { name: 'شرایط را می‌پذیرم' }).click();
  await stateTag(citizen, 'در نوبت جمع‌آوری انشعاب');

  // Clerk schedules the removal (Jalali date-time picker, shortcut to the next working morning).
  await asStaff(page, 'clerk', code);
  await page.getByRole('button', { name: 'نخستین روز کاری بعد، ساعت ۹' }).click();
  await expect(page.locator('.jalali-input').first()).toHaveValue(/ساعت ۰۹:۰۰/);
  await page.getByRole('textbox', { name: /^اکیپ/ }).fill('اکیپ ۲ ناحیه مرکزی');
  await page.getByRole('button', { name: 'ثبت زمان جمع‌آوری' }).click();
  await expect(page.getByText(/ساعت ۰۹:۰۰ — اکیپ ۲ ناحیه مرکزی/)).toBeVisible();
  await expectAccessible(page, 'staff request page');
  await screenshots(page, 'staff-request');

  // Field crew records the removal with a damaged seal (a damage charge on the final bill).
  await asStaff(page, 'field-crew', code);
  await page.getByLabel('شماره نهایی کنتور').fill('۵۲۹۰');
  await page.getByRole('radio', { name: 'آسیب‌دیده' }).check();
  await page.getByRole('checkbox', { name: 'پلمب' }).check();
  await page.getByRole('button', { name: 'ثبت جمع‌آوری انشعاب' }).click();
  await stateTag(page, 'در انتظار تسویه صورتحساب نهایی');

  // Applicant settles the final bill; the request completes and the certificate prints.
  await payEverything(citizen, code);
  await stateTag(citizen, 'انجام‌شده؛ انشعاب به‌طور موقت جمع‌آوری شد');
  await citizen.getByRole('link', { name: 'دریافت گواهی نتیجه جمع‌آوری موقت' }).click();
  await expect(citizen.getByRole('heading', { name: 'گواهی انجام جمع‌آوری موقت انشعاب' })).toBeVisible();
  await expect(citizen.getByText('۵٬۲۹۰')).toBeVisible();
  await expect(citizen.getByRole('button', { name: 'چاپ گواهی' })).toBeVisible();
  await expectAccessible(citizen, 'result document');
  await screenshots(citizen, 'result-document');
  await citizen.emulateMedia({ media: 'print' });
  await expect(citizen.getByRole('button', { name: 'چاپ گواهی' })).toBeHidden();
  await citizen.screenshot({ path: 'docs/screenshots/result-document-print.png', fullPage: true });
  expect(citizenErrors).toEqual([]);
  await citizenContext.close();
});
