// The applicant's request page (SMS links point here): where the request is, what to do now,
// the promised date, amounts due with pay buttons, the conditions to accept or refuse, the
// timeline and the SLA chart, withdrawal, and the result document once completed.
import { busyIcon } from '../shared/loading.tsx';
import { Alert, App, Button, Card, Collapse, Input, Result, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, ApiError, type RequestView, type SlaExplanation } from '../shared/api.ts';
import { dateFa, dateTimeFa, formatRials, toPersianDigits } from '../shared/format.ts';
import { OtpSignIn, useSession } from '../shared/session.tsx';
import { RequestTimeline, SlaChart } from '../shared/timeline.tsx';
import { ErrorAlert, Money, PageLoading, StateTag, TrackingCode, useLoad } from '../shared/ui.tsx';
import { CitizenShell } from './citizen-shell.tsx';

const NO_REFUND = 'وجوه پرداخت‌شده در صورت انصراف یا نپذیرفتن شرایط بازگردانده نمی‌شود (بند ۴ توافقنامه سطح خدمت).';
const PAYABLE_STATES = new Set(['awaiting-payment', 'awaiting-settlement']);

function Amounts({ view }: { view: RequestView }) {
  const [paying, setPaying] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!view.amountsDue.length) return null;
  const unpaid = view.amountsDue.filter((a) => !a.paid);
  const payable = PAYABLE_STATES.has(view.state);

  async function pay(id: string) {
    setPaying(id);
    setError(null);
    try {
      const { paymentUrl } = await api<{ paymentUrl: string }>('POST', `/api/v1/requests/${view.trackingCode}/payments`, { realm: 'citizen', body: { amountDueId: id } });
      window.location.assign(paymentUrl);
    } catch (e) {
      setError(e);
      setPaying(null);
    }
  }

  return (
    <Card title={<h2 className="card-title">مبالغ</h2>} extra={unpaid.length ? <span>مانده: <Money rials={view.totalDueRials} strong /></span> : <span className="muted">همه پرداخت شده</span>}>
      {payable && unpaid.length ? <Alert type="warning" showIcon className="block-gap" title="پیش از پرداخت بدانید" description={NO_REFUND} /> : null}
      <ErrorAlert error={error} />
      {view.amountsDue.map((a) => (
        <div className="amount-row" key={a.id}>
          <div>
            <div>{a.title}</div>
            <div className="amount-meta">
              شناسه قبض <bdi>{toPersianDigits(a.billId)}</bdi> · شناسه پرداخت <bdi>{toPersianDigits(a.paymentId)}</bdi>
            </div>
            <Money rials={a.amountRials} strong />
          </div>
          {a.paid ? (
            <span className="paid-mark">پرداخت‌شده {a.paidAt ? `در ${dateFa(a.paidAt)}` : ''}</span>
          ) : payable ? (
            <Button type="primary" loading={busyIcon(paying === a.id)} disabled={paying !== null && paying !== a.id} onClick={() => void pay(a.id)} aria-label={`پرداخت ${a.title}، ${formatRials(a.amountRials)}`}>
              پرداخت اینترنتی
            </Button>
          ) : (
            <span className="muted">پرداخت‌نشده</span>
          )}
        </div>
      ))}
      {payable && unpaid.length ? <p className="muted">می‌توانید با شناسه قبض و شناسه پرداخت در هر بانک یا درگاه پرداخت قبض هم پرداخت کنید.</p> : null}
    </Card>
  );
}

function Conditions({ view, onChanged }: { view: RequestView; onChanged: (v: RequestView) => void }) {
  const { modal } = App.useApp();
  const [error, setError] = useState<unknown>(null);
  const c = view.conditions as null | { technical?: string; financial?: string; notes?: string; noRefund?: string; answerBy?: string; damageTotalRials?: number; damages?: Array<{ title?: string; titleFa?: string; amountRials?: number }> };
  if (!c) return null;
  const canAnswer = view.availableActions.includes('accept-conditions');
  const act = async (action: 'accept-conditions' | 'refuse-conditions') => {
    setError(null);
    try {
      onChanged(await api<RequestView>('POST', `/api/v1/requests/${view.trackingCode}/actions`, { realm: 'citizen', body: { action } }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Card title={<h2 className="card-title">شرایط فنی و مالی جمع‌آوری</h2>} className={canAnswer ? 'attention' : ''}>
      <dl className="kv">
        <dt>شرایط فنی</dt>
        <dd>{c.technical ?? '—'}</dd>
        <dt>شرایط مالی</dt>
        <dd>{c.financial ?? '—'}</dd>
        {c.damages?.length ? (
          <>
            <dt>خسارت لوازم اندازه‌گیری</dt>
            <dd>
              <ul>
                {c.damages.map((d, i) => (
                  <li key={i}>
                    {d.titleFa ?? d.title} {typeof d.amountRials === 'number' ? <Money rials={d.amountRials} /> : null}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {typeof c.damageTotalRials === 'number' && c.damageTotalRials > 0 ? (
          <>
            <dt>جمع خسارت</dt>
            <dd>
              <Money rials={c.damageTotalRials} strong />
            </dd>
          </>
        ) : null}
        {c.notes ? (
          <>
            <dt>توضیح کارشناس</dt>
            <dd>{c.notes}</dd>
          </>
        ) : null}
        {c.answerBy ? (
          <>
            <dt>مهلت پاسخ</dt>
            <dd>
              <strong>{dateTimeFa(c.answerBy)}</strong>
            </dd>
          </>
        ) : null}
      </dl>
      <Alert type="warning" showIcon className="block-gap" title={c.noRefund ?? NO_REFUND} style={{ marginTop: 12 }} />
      <ErrorAlert error={error} />
      {canAnswer ? (
        <div className="hero-actions">
          <Button type="primary" size="large" onClick={() => void act('accept-conditions')}>
            شرایط را می‌پذیرم
          </Button>
          <Button
            danger
            size="large"
            onClick={() =>
              modal.confirm({
                title: 'شرایط را نمی‌پذیرید؟',
                content: `با نپذیرفتن شرایط، درخواست بایگانی می‌شود و برای جمع‌آوری باید درخواست تازه ثبت کنید. ${NO_REFUND}`,
                okText: 'نمی‌پذیرم؛ بایگانی شود',
                okButtonProps: { danger: true },
                cancelText: 'بازگشت',
                onOk: () => act('refuse-conditions'),
              })
            }
          >
            شرایط را نمی‌پذیرم
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function Withdraw({ view, onChanged }: { view: RequestView; onChanged: (v: RequestView) => void }) {
  const { modal } = App.useApp();
  const [error, setError] = useState<unknown>(null);
  if (!view.availableActions.includes('withdraw')) return null;
  const paidSomething = view.amountsDue.some((a) => a.paid);
  let reason = '';
  const open = () =>
    modal.confirm({
      title: 'انصراف از درخواست',
      content: (
        <div>
          <p>{paidSomething ? `شما بخشی از هزینه‌ها را پرداخته‌اید. ${NO_REFUND}` : 'با انصراف، درخواست بسته می‌شود و برای جمع‌آوری باید درخواست تازه ثبت کنید.'}</p>
          <label htmlFor="withdraw-reason">علت انصراف (اختیاری)</label>
          <Input.TextArea id="withdraw-reason" rows={2} maxLength={300} onChange={(e) => (reason = e.target.value)} />
        </div>
      ),
      okText: 'انصراف می‌دهم',
      okButtonProps: { danger: true },
      cancelText: 'بازگشت',
      onOk: async () => {
        setError(null);
        try {
          onChanged(await api<RequestView>('POST', `/api/v1/requests/${view.trackingCode}/actions`, { realm: 'citizen', body: { action: 'withdraw', ...(reason.trim() ? { reason: reason.trim() } : {}) } }));
        } catch (e) {
          setError(e);
        }
      },
    });
  return (
    <Card title={<h2 className="card-title">انصراف از درخواست</h2>} size="small">
      <p className="muted">تا پیش از جمع‌آوری انشعاب می‌توانید انصراف دهید. {NO_REFUND}</p>
      <ErrorAlert error={error} />
      <Button danger onClick={open}>
        انصراف از درخواست
      </Button>
    </Card>
  );
}

function SlaSection({ code }: { code: string }) {
  const explanation = useLoad((signal) => api<SlaExplanation>('GET', `/api/v1/requests/${code}/sla`, { realm: 'citizen', signal }), [code]);
  if (explanation.error) return null;
  if (!explanation.data) return <PageLoading label="در حال دریافت نمودار زمان‌بندی…" />;
  return <SlaChart explanation={explanation.data} />;
}

export default function RequestPage() {
  const { trackingCode = '' } = useParams();
  const [params] = useSearchParams();
  const session = useSession('citizen');
  const request = useLoad((signal) => (session ? api<RequestView>('GET', `/api/v1/requests/${trackingCode}`, { realm: 'citizen', signal }) : Promise.resolve(undefined)), [trackingCode, session?.token]);
  const view = request.data;
  const payment = params.get('payment');

  if (!session) {
    return (
      <CitizenShell>
        <div className="narrow card-stack">
          <Typography.Title level={1} className="page-title">
            درخواست <TrackingCode code={trackingCode} />
          </Typography.Title>
          {payment ? <PaymentBanner outcome={payment} /> : null}
          <OtpSignIn intro="برای دیدن جزئیات، پرداخت و پاسخ به شرایط، با شماره همراهی که درخواست را با آن ثبت کرده‌اید وارد شوید." />
          <p>
            یا بدون ورود: <Link to={`/track?code=${trackingCode}`}>پیگیری با کد ملی</Link>
          </p>
        </div>
      </CitizenShell>
    );
  }

  return (
    <CitizenShell>
      {request.loading && !view ? <PageLoading label="در حال دریافت درخواست…" /> : null}
      {request.error ? (
        request.error instanceof ApiError && (request.error.status === 404 || request.error.status === 403) ? (
          <Result status="warning" title="این درخواست با شماره همراه شما ثبت نشده است" subTitle={request.error.message} extra={<Link to={`/track?code=${trackingCode}`}>پیگیری با کد ملی</Link>} />
        ) : (
          <ErrorAlert error={request.error} onRetry={request.reload} />
        )
      ) : null}
      {view ? (
        <div className="card-stack">
          {params.get('filed') ? (
            <Alert
              type="success"
              showIcon
              title="درخواست شما ثبت شد"
              description={
                <span>
                  کد رهگیری شما <TrackingCode code={view.trackingCode} size="large" /> است و پیامک شد. این کد را نگه دارید.
                </span>
              }
            />
          ) : null}
          {payment ? <PaymentBanner outcome={payment} /> : null}
          <Card>
            <div className="request-head">
              <div>
                <h1 className="page-title">درخواست جمع‌آوری موقت انشعاب</h1>
                <div>
                  کد رهگیری: <TrackingCode code={view.trackingCode} />
                </div>
                <div className="muted">
                  ثبت: {view.createdAtJalali} · شناسه قبض <bdi>{toPersianDigits(view.billId)}</bdi>
                </div>
              </div>
              <StateTag state={view.state} title={view.stateTitle} />
            </div>
            <Alert
              type={['awaiting-payment', 'awaiting-acceptance', 'awaiting-settlement'].includes(view.state) ? 'warning' : view.state === 'completed' ? 'success' : 'info'}
              showIcon
              style={{ marginTop: 12 }}
              title="اکنون چه باید کرد؟"
              description={view.nextStep}
            />
            {view.sla.promisedAtJalali && !view.closedAt ? (
              <p className="promise">
                تاریخ وعده‌داده‌شده برای پایان کار: <strong>{view.sla.promisedAtJalali}</strong>
                <span className="muted"> (زمان‌هایی که نوبت اقدام شماست به این تاریخ افزوده می‌شود)</span>
              </p>
            ) : null}
            {view.state === 'completed' ? (
              <Link to={`/requests/${view.trackingCode}/result`} className="ant-btn ant-btn-primary result-link">
                دریافت گواهی نتیجه جمع‌آوری موقت
              </Link>
            ) : null}
          </Card>
          <div className="grid-main-side">
            <div className="card-stack">
              <Conditions view={view} onChanged={request.setData} />
              <Amounts view={view} />
              <Card title={<h2 className="card-title">مراحل درخواست</h2>}>
                <RequestTimeline view={view} audience="applicant" />
              </Card>
              <Card title={<h2 className="card-title">زمان‌بندی (توافقنامه سطح خدمت)</h2>}>
                <SlaSection code={view.trackingCode} />
              </Card>
            </div>
            <div className="card-stack">
              <Card title={<h2 className="card-title">مشخصات</h2>} size="small">
                <dl className="kv">
                  <dt>متقاضی</dt>
                  <dd>{view.applicant.personType === 'legal' ? view.applicant.name : `${view.applicant.firstName ?? ''} ${view.applicant.lastName ?? ''}`}</dd>
                  <dt>نسبت</dt>
                  <dd>{view.relation === 'owner' ? 'مالک' : 'وکیل مالک'}</dd>
                  <dt>نشانی</dt>
                  <dd>{String(view.connection.address ?? '—')}</dd>
                  <dt>انشعاب</dt>
                  <dd>
                    {view.connection.phase === 3 ? 'سه‌فاز' : 'تک‌فاز'} {toPersianDigits(String(view.connection.amperes ?? ''))} آمپر
                  </dd>
                </dl>
              </Card>
              <Collapse
                items={[
                  {
                    key: 'history',
                    label: `سابقه رویدادها (${toPersianDigits(view.events.length)})`,
                    children: (
                      <Timeline
                        items={view.events.map((e, i) => ({
                          key: i,
                          content: (
                            <div>
                              <strong>{e.actionTitle}</strong>
                              <div className="muted">{e.atJalali}</div>
                              {e.reason ? <div>{e.reason}</div> : null}
                            </div>
                          ),
                        }))}
                      />
                    ),
                  },
                ]}
              />
              <Withdraw view={view} onChanged={request.setData} />
            </div>
          </div>
        </div>
      ) : null}
    </CitizenShell>
  );
}

function PaymentBanner({ outcome }: { outcome: string }) {
  // The payment callback answers paid | duplicate | failed | unknown | mismatch.
  return outcome === 'paid' || outcome === 'duplicate' || outcome === 'success' ? (
    <Alert type="success" showIcon title="پرداخت با موفقیت انجام شد" description="رسید پرداخت ثبت شد و مرحله بعد آغاز می‌شود." role="status" />
  ) : (
    <Alert type="error" showIcon title="پرداخت انجام نشد" description="مبلغی از حساب شما کسر نشده است؛ اگر کسر شده، ظرف ۷۲ ساعت بازمی‌گردد. می‌توانید دوباره پرداخت کنید." role="alert" />
  );
}
