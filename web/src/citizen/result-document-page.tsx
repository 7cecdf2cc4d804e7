// The temporary-removal result document (output of the service, SLA §7): Persian, Jalali dates,
// the tracking code, a print stylesheet (A4), printable by the applicant or by staff.
import { Button, Result } from 'antd';
import { Link, useParams } from 'react-router';
import { api, getSession, type RequestView } from '../shared/api.ts';
import { dateFa, dateTimeFa, formatPersianInteger, formatRials, groupedCode, toPersianDigits } from '../shared/format.ts';
import { OtpSignIn, useSession } from '../shared/session.tsx';
import { ErrorAlert, PageLoading, useLoad } from '../shared/ui.tsx';
import { CitizenShell } from './citizen-shell.tsx';

const DAMAGE_TITLES: Record<string, string> = {
  'meter-single-phase': 'کنتور تک‌فاز',
  'meter-three-phase': 'کنتور سه‌فاز',
  seal: 'پلمب',
  'meter-box': 'جعبه کنتور',
  'current-transformer': 'ترانسفورماتور جریان',
  cable: 'کابل سرویس',
};

export default function ResultDocumentPage() {
  const { trackingCode = '' } = useParams();
  const citizen = useSession('citizen');
  const realm = citizen ? 'citizen' : getSession('staff') ? 'staff' : null;
  const request = useLoad((signal) => (realm ? api<RequestView>('GET', `/api/v1/requests/${trackingCode}`, { realm, signal }) : Promise.resolve(undefined)), [trackingCode, realm]);
  const v = request.data;
  const removal = (v?.removal ?? {}) as { removedAt?: string; at?: string; finalReading?: number; equipmentCondition?: string; damagedItems?: string[]; seals?: string[]; meterDestination?: string; notes?: string };
  const removedAt = removal.removedAt ?? removal.at ?? v?.events.find((e) => e.action === 'record-removal')?.at ?? null;
  const completedAt = v?.closedAt ?? null;
  const paid = v?.amountsDue.filter((a) => a.paid) ?? [];

  return (
    <CitizenShell>
      {!realm ? <OtpSignIn intro="برای دریافت گواهی، با شماره همراهی که درخواست را با آن ثبت کرده‌اید وارد شوید." /> : null}
      {request.loading && realm && !v ? <PageLoading /> : null}
      <ErrorAlert error={request.error} onRetry={request.reload} />
      {v && v.state !== 'completed' ? (
        <Result status="info" title="گواهی هنوز صادر نشده است" subTitle="گواهی نتیجه پس از پایان جمع‌آوری و تسویه صادر می‌شود." extra={<Link to={`/requests/${trackingCode}`}>بازگشت به درخواست</Link>} />
      ) : null}
      {v && v.state === 'completed' ? (
        <>
          <div className="no-print hero-actions block-gap">
            <Button type="primary" onClick={() => window.print()}>
              چاپ گواهی
            </Button>
            <Link to={`/requests/${trackingCode}`}>بازگشت به درخواست</Link>
          </div>
          <article className="certificate" aria-labelledby="cert-title">
            <div className="cert-head">
              <div>
                <strong>شرکت توزیع نیروی برق استان قم</strong>
                <div>معاونت خدمات مشترکین</div>
              </div>
              <div>
                <div>تاریخ صدور: {dateFa(completedAt)}</div>
                <div>
                  کد رهگیری: <bdi>{groupedCode(v.trackingCode)}</bdi>
                </div>
              </div>
            </div>
            <h1 id="cert-title">گواهی انجام جمع‌آوری موقت انشعاب</h1>
            <p>
              بدین‌وسیله گواهی می‌شود انشعاب برق با مشخصات زیر، به درخواست متقاضی و پس از تسویه حساب، در تاریخ {dateFa(removedAt)} به‌طور موقت جمع‌آوری شد. پرونده اشتراک نزد
              شرکت نگه‌داری می‌شود و برقراری دوباره با ثبت درخواست وصل مجدد امکان‌پذیر است.
            </p>
            <table>
              <tbody>
                <tr>
                  <th scope="row">متقاضی</th>
                  <td>
                    {v.applicant.personType === 'legal' ? `${v.applicant.name ?? ''} (شناسه ملی ${toPersianDigits(v.applicant.nationalId ?? '')})` : `${v.applicant.firstName ?? ''} ${v.applicant.lastName ?? ''} (کد ملی ${toPersianDigits(v.applicant.nationalCode ?? '')})`}
                    {v.relation === 'attorney' ? ' — به وکالت از مالک' : ''}
                  </td>
                </tr>
                <tr>
                  <th scope="row">شناسه قبض</th>
                  <td>
                    <bdi>{toPersianDigits(v.billId)}</bdi>
                  </td>
                </tr>
                <tr>
                  <th scope="row">شماره اشتراک</th>
                  <td>
                    <bdi>{toPersianDigits(v.accountNumber ?? '—')}</bdi>
                  </td>
                </tr>
                <tr>
                  <th scope="row">نشانی</th>
                  <td>{String(v.connection.address ?? '—')}</td>
                </tr>
                <tr>
                  <th scope="row">انشعاب</th>
                  <td>
                    {v.connection.phase === 3 ? 'سه‌فاز' : 'تک‌فاز'} {toPersianDigits(String(v.connection.amperes ?? ''))} آمپر
                  </td>
                </tr>
                <tr>
                  <th scope="row">شماره بدنه کنتور</th>
                  <td>
                    <bdi>{toPersianDigits(String(v.connection.meterSerial ?? '—'))}</bdi>
                  </td>
                </tr>
                <tr>
                  <th scope="row">شماره نهایی کنتور</th>
                  <td>{typeof removal.finalReading === 'number' ? formatPersianInteger(removal.finalReading) : '—'}</td>
                </tr>
                <tr>
                  <th scope="row">وضعیت لوازم اندازه‌گیری</th>
                  <td>
                    {removal.equipmentCondition === 'damaged' ? `آسیب‌دیده (${(removal.damagedItems ?? []).map((d) => DAMAGE_TITLES[d] ?? d).join('، ')})` : 'سالم'}
                  </td>
                </tr>
                <tr>
                  <th scope="row">پلمب‌ها</th>
                  <td>{removal.seals?.length ? toPersianDigits(removal.seals.join('، ')) : '—'}</td>
                </tr>
                <tr>
                  <th scope="row">محل نگه‌داری کنتور</th>
                  <td>{removal.meterDestination ?? 'انبار شرکت'}</td>
                </tr>
                <tr>
                  <th scope="row">تاریخ ثبت درخواست</th>
                  <td>{dateTimeFa(v.createdAt)}</td>
                </tr>
                <tr>
                  <th scope="row">تاریخ پایان خدمت</th>
                  <td>{dateTimeFa(completedAt)}</td>
                </tr>
                <tr>
                  <th scope="row">مبالغ پرداخت‌شده</th>
                  <td>
                    {paid.length
                      ? paid.map((a) => (
                          <div key={a.id}>
                            {a.title}: {formatRials(a.amountRials)}
                          </div>
                        ))
                      : '—'}
                  </td>
                </tr>
              </tbody>
            </table>
            <p className="muted">جمع‌آوری موقت حداکثر یک سال اعتبار دارد؛ پس از آن و در صورت تعیین تکلیف نکردن، ممکن است به جمع‌آوری دائم تبدیل شود.</p>
            <div className="signatures">
              <div>
                مهر و امضای امور مشترکین
                <br />
                <br />
              </div>
              <div>
                تأیید سامانه میز خدمت برق
                <br />
                <bdi>{groupedCode(v.trackingCode)}</bdi>
              </div>
            </div>
          </article>
        </>
      ) : null}
    </CitizenShell>
  );
}
