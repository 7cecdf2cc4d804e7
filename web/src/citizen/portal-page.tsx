// The citizen portal: the public service information form (SLA §4), sign-in with a one-time SMS
// code, "my requests", and the way to file a new request.
import { Button, Card, Collapse, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { api, type RequestPage } from '../shared/api.ts';
import { dateFa, formatRials, toPersianDigits, tomansFa } from '../shared/format.ts';
import { OtpSignIn, useSession } from '../shared/session.tsx';
import { EmptyState, ErrorAlert, Money, PageLoading, StateTag, TrackingCode, useLoad } from '../shared/ui.tsx';
import { CitizenShell } from './citizen-shell.tsx';

interface ServiceForm {
  code: string;
  title: string;
  description: string;
  audience: string;
  company: string;
  responsibleUnit: string;
  serviceId: string;
  accessType: string;
  documents: string[];
  steps: string[];
  rules: string[];
  output: string;
  hours: string;
  phone: string;
  callCentre: string;
  inPersonVisits: number;
  inPersonVisitsNote: string;
  deliveryWorkingDays: number;
  channels: Array<{ code: string; title: string }>;
  faq: Array<{ q: string; a: string }>;
  version: number;
  fees: null | { tariffEffectiveFromJalali: string; isDemo: boolean; consumptionDebt: string; items: Array<{ code: string; kind: string; title: string; amountRials: number }> };
  agreement: { version: number; validFrom: string; validTo: string; validToJalali: string; approvedBy: string; expired: boolean; expiresInDays: number };
}

function MyRequests() {
  const mine = useLoad((signal) => api<RequestPage>('GET', '/api/v1/requests?pageSize=50', { realm: 'citizen', signal }), []);
  return (
    <Card title={<h2 className="card-title">درخواست‌های من</h2>} extra={<Link to="/requests/new">درخواست تازه</Link>}>
      {mine.loading && !mine.data ? <PageLoading /> : null}
      <ErrorAlert error={mine.error} onRetry={mine.reload} />
      {mine.data && mine.data.items.length === 0 ? (
        <EmptyState title="هنوز درخواستی ثبت نکرده‌اید.">با دکمه «ثبت درخواست جمع‌آوری موقت» نخستین درخواست را ثبت کنید.</EmptyState>
      ) : null}
      {mine.data && mine.data.items.length > 0 ? (
        <ul className="plain-list">
          {mine.data.items.map((item) => (
            <li key={item.trackingCode}>
              <div className="request-head">
                <div>
                  <Link to={`/requests/${item.trackingCode}`}>
                    <TrackingCode code={item.trackingCode} copy={false} />
                  </Link>
                  <div className="muted">
                    شناسه قبض <bdi>{toPersianDigits(item.billId)}</bdi> · ثبت {dateFa(item.createdAt)}
                  </div>
                </div>
                <StateTag state={item.state} title={item.stateTitle} />
              </div>
              {item.totalDueRials > 0 ? (
                <div>
                  مبلغ قابل پرداخت: <Money rials={item.totalDueRials} strong />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

function ServiceInformation({ form }: { form: ServiceForm }) {
  const fees = form.fees?.items ?? [];
  const byKind = (kind: string) => fees.filter((f) => f.kind === kind);
  const feeRows = [...byKind('removal-fee'), ...byKind('meter-test-fee'), ...byKind('pishkhan-fee')];
  return (
    <Card title={<h2 className="card-title">شناسنامه خدمت</h2>}>
      <Collapse
        defaultActiveKey={['steps', 'docs']}
        items={[
          {
            key: 'steps',
            label: 'مراحل انجام خدمت',
            children: (
              <ol>
                {form.steps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
            ),
          },
          {
            key: 'docs',
            label: 'مدارک لازم',
            children: (
              <ul>
                {form.documents.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ),
          },
          {
            key: 'fees',
            label: 'هزینه‌ها',
            children: (
              <>
                <p className="muted">
                  تعرفه مصوب از {form.fees?.tariffEffectiveFromJalali ?? '—'}
                  {form.fees?.isDemo ? ' (مبالغ نمونه)' : ''}
                </p>
                <table className="fee-table">
                  <caption className="muted" style={{ captionSide: 'bottom', textAlign: 'start' }}>
                    {form.fees?.consumptionDebt}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">عنوان</th>
                      <th scope="col">مبلغ</th>
                    </tr>
                  </thead>
                  <tbody>
                    {feeRows.map((f) => (
                      <tr key={f.code}>
                        <td>{f.title}</td>
                        <td className="num">
                          {formatRials(f.amountRials)}
                          <div className="muted">{tomansFa(f.amountRials)}</div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="muted">خسارت لوازم اندازه‌گیری فقط در صورت آسیب، طبق تعرفه دریافت می‌شود.</p>
              </>
            ),
          },
          {
            key: 'rules',
            label: 'قواعد و شرایط',
            children: (
              <ul>
                {form.rules.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            ),
          },
          {
            key: 'identity',
            label: 'مشخصات خدمت و توافقنامه',
            children: (
              <dl className="kv">
                <dt>دستگاه ارائه‌دهنده</dt>
                <dd>{form.company}</dd>
                <dt>واحد مسئول</dt>
                <dd>{form.responsibleUnit}</dd>
                <dt>گیرندگان خدمت</dt>
                <dd>{form.audience}</dd>
                <dt>نوع دسترسی</dt>
                <dd>{form.accessType}</dd>
                <dt>خروجی خدمت</dt>
                <dd>{form.output}</dd>
                <dt>ساعات ارائه</dt>
                <dd>{form.hours}</dd>
                <dt>درگاه‌ها</dt>
                <dd>{form.channels.map((c) => c.title).join('، ')}</dd>
                <dt>مراجعه حضوری</dt>
                <dd>
                  {form.inPersonVisits === 0 ? 'بدون مراجعه' : `${toPersianDigits(form.inPersonVisits)} بار`} — {form.inPersonVisitsNote}
                </dd>
                <dt>توافقنامه سطح خدمت</dt>
                <dd>
                  نسخه {toPersianDigits(form.agreement.version)}، معتبر تا {form.agreement.validToJalali}؛ تأییدکننده: {form.agreement.approvedBy}
                  {form.agreement.expired ? ' (منقضی شده)' : ''}
                </dd>
                <dt>مرکز تماس</dt>
                <dd>
                  <bdi>{form.callCentre}</bdi>
                </dd>
              </dl>
            ),
          },
          {
            key: 'faq',
            label: 'پرسش‌های پرتکرار',
            children: (
              <dl>
                {form.faq.map((f) => (
                  <div key={f.q}>
                    <dt>
                      <strong>{f.q}</strong>
                    </dt>
                    <dd style={{ marginInlineStart: 0, marginBottom: 12 }}>{f.a}</dd>
                  </div>
                ))}
              </dl>
            ),
          },
        ]}
      />
    </Card>
  );
}

export default function PortalPage() {
  const session = useSession('citizen');
  const navigate = useNavigate();
  const form = useLoad((signal) => api<ServiceForm>('GET', '/api/v1/services/temporary-removal', { signal }), []);
  const f = form.data;
  return (
    <CitizenShell>
      <div className="card-stack">
        <section className="hero" aria-labelledby="service-title">
          <h1 id="service-title">{f?.title ?? 'جمع‌آوری موقت انشعاب'}</h1>
          {f ? <Typography.Paragraph className="hero-text">{f.description}</Typography.Paragraph> : null}
          {f ? (
            <div className="facts">
              <div className="fact">
                <span className="fact-value">{toPersianDigits(f.deliveryWorkingDays)} روز کاری</span>
                <span className="fact-label">زمان انجام خدمت</span>
              </div>
              <div className="fact">
                <span className="fact-value">{f.inPersonVisits === 0 ? 'بدون مراجعه' : toPersianDigits(f.inPersonVisits)}</span>
                <span className="fact-label">مراجعه حضوری برای ثبت</span>
              </div>
              <div className="fact">
                <span className="fact-value">{toPersianDigits(f.channels.length)} درگاه</span>
                <span className="fact-label">سایت، «برق من»، پیشخوان، حضوری</span>
              </div>
              <div className="fact">
                <span className="fact-value">تا {f.agreement.validToJalali.split(' ').slice(1).join(' ')}</span>
                <span className="fact-label">اعتبار توافقنامه</span>
              </div>
            </div>
          ) : null}
          <div className="hero-actions">
            <Button type="primary" size="large" onClick={() => void navigate(session ? '/requests/new' : '/?signin=1#signin')}>
              ثبت درخواست جمع‌آوری موقت
            </Button>
            <Button size="large" onClick={() => void navigate('/track')}>
              پیگیری با کد رهگیری
            </Button>
          </div>
        </section>
        <div className="grid-main-side">
          <div className="card-stack">
            {session ? <MyRequests /> : null}
            {form.loading && !f ? <PageLoading label="در حال دریافت شناسنامه خدمت…" /> : null}
            <ErrorAlert error={form.error} onRetry={form.reload} />
            {f ? <ServiceInformation form={f} /> : null}
          </div>
          <aside className="card-stack side-first" id="signin" aria-label="ورود و ثبت درخواست">
            {session ? (
              <Card title={<h2 className="card-title">درخواست تازه</h2>}>
                <p>برای جمع‌آوری موقت انشعاب، شناسه قبض و کد ملی مالک را آماده کنید.</p>
                <Button type="primary" block onClick={() => void navigate('/requests/new')}>
                  ثبت درخواست
                </Button>
              </Card>
            ) : (
              <OtpSignIn intro="برای ثبت درخواست و دیدن درخواست‌هایتان، با شماره همراه وارد شوید. کد ورود پیامک می‌شود." />
            )}
            <Card title={<h2 className="card-title">پیگیری بدون ورود</h2>}>
              <p className="muted">با کد رهگیری پیامک‌شده و کد ملی، وضعیت درخواست را ببینید.</p>
              <Link to="/track">رفتن به پیگیری درخواست</Link>
            </Card>
          </aside>
        </div>
      </div>
    </CitizenShell>
  );
}
