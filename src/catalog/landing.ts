// A plain server-rendered Persian page of the service information form, so that `npm start`
// shows people something readable before (and without) the web app.
import { formatRials, toPersianDigits } from '../platform/digits.ts';
import type { CatalogService } from './catalog.service.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function landingPage(form: Awaited<ReturnType<CatalogService['form']>>): string {
  const list = (items: readonly string[]) => `<ol>${items.map((i) => `<li>${escape(i)}</li>`).join('')}</ol>`;
  const fees = form.fees
    ? `<table><thead><tr><th>عنوان</th><th>مبلغ</th></tr></thead><tbody>${form.fees.items
        .filter((i) => i.kind !== 'damage')
        .map((i) => `<tr><td>${escape(i.title)}</td><td>${formatRials(i.amountRials)}</td></tr>`)
        .join('')}</tbody></table>${form.fees.isDemo ? '<p class="note">ارقام نمایشی است.</p>' : ''}`
    : '<p>تعرفه‌ای ثبت نشده است.</p>';
  return `<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(form.title)} — میز خدمت برق</title>
<style>body{font-family:Vazirmatn,Tahoma,sans-serif;max-width:52rem;margin:auto;padding:1rem;line-height:1.9;color:#1b1b1b}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}.note{color:#666}</style></head>
<body><header><p>${escape(form.company)} — میز خدمت برق</p><h1>${escape(form.title)}</h1></header>
<main><p>${escape(form.description)}</p>
<p>زمان ارائه خدمت: ${toPersianDigits(form.deliveryWorkingDays)} روز کاری — مراجعه حضوری: ${toPersianDigits(form.inPersonVisits)} بار</p>
<h2>مراحل</h2>${list(form.steps)}<h2>مدارک لازم</h2>${list(form.documents)}<h2>هزینه‌ها</h2>${fees}
<h2>درگاه‌ها و ساعات</h2>${list(form.channels.map((c) => c.title))}<p>${escape(form.hours)}</p>
<p>اعتبار توافقنامه سطح خدمت تا ${escape(form.agreement.validToJalali)}</p>
<p><a href="/api/docs">مستندات API</a></p></main></body></html>`;
}
