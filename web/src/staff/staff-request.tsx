// A request as staff see it: state and SLA, actions, amounts, timeline and SLA chart, events,
// messages (when the API offers them), applicant, connection and the records of each step.
import { Card, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { api, ApiError, type RequestView, type SlaExplanation } from '../shared/api.ts';
import { dateFa, dateTimeFa, durationFa, formatPersianInteger, toPersianDigits } from '../shared/format.ts';
import { CHANNEL_TITLES, DAMAGE_TITLES, METER_RESULT_TITLES, ROLE_TITLES_FA } from '../shared/labels.ts';
import { RequestTimeline, SLA_STATUS, SlaChart } from '../shared/timeline.tsx';
import { ErrorAlert, Money, PageLoading, StateTag, TrackingCode, useLoad } from '../shared/ui.tsx';
import { ActionsPanel } from './action-forms.tsx';

type Obj = Record<string, unknown>;
const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

function Records({ view }: { view: RequestView }) {
  const mt = view.meterTest as Obj | null;
  const rs = view.removalSchedule as Obj | null;
  const rm = view.removal as Obj | null;
  if (!mt && !rs && !rm) return null;
  return (
    <Card size="small" title={<h2 className="card-title">ثبت‌های مراحل</h2>}>
      <dl className="kv">
        {mt ? (
          <>
            <dt>آزمایش کنتور</dt>
            <dd>
              {METER_RESULT_TITLES[String(mt.result)] ?? String(mt.result)}؛ شماره {formatPersianInteger(Number(mt.reading ?? 0))}
              {list(mt.seals).length ? `؛ پلمب ${toPersianDigits(list(mt.seals).join('، '))}` : ''}
              {list(mt.damagedItems).length ? `؛ آسیب: ${list(mt.damagedItems).map((d) => DAMAGE_TITLES[d] ?? d).join('، ')}` : ''}
              {mt.notes ? ` — ${String(mt.notes)}` : ''}
            </dd>
          </>
        ) : null}
        {rs ? (
          <>
            <dt>زمان جمع‌آوری</dt>
            <dd>
              {dateTimeFa(String(rs.scheduledFor))}
              {rs.crew ? ` — ${String(rs.crew)}` : ''}
            </dd>
          </>
        ) : null}
        {rm ? (
          <>
            <dt>جمع‌آوری</dt>
            <dd>
              شماره نهایی {formatPersianInteger(Number(rm.finalReading ?? 0))}؛ لوازم {rm.equipmentCondition === 'damaged' ? `آسیب‌دیده (${list(rm.damagedItems).map((d) => DAMAGE_TITLES[d] ?? d).join('، ')})` : 'سالم'}
              {list(rm.seals).length ? `؛ پلمب ${toPersianDigits(list(rm.seals).join('، '))}` : ''}؛ کنتور به {String(rm.meterDestination ?? '—')}
            </dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}

interface Message {
  to?: string;
  text: string;
  template?: string;
  status?: string;
  sentAt?: string | null;
  createdAt?: string;
  deliveredAt?: string | null;
}

const DELIVERY: Record<string, { label: string; color: string }> = {
  pending: { label: 'در صف ارسال', color: 'default' },
  sent: { label: 'ارسال‌شده', color: 'processing' },
  delivered: { label: 'رسیده', color: 'success' },
  failed: { label: 'نرسیده', color: 'error' },
};

/** GET /requests/{code}/messages is being built by colleagues; until then the card says so. */
function Messages({ code }: { code: string }) {
  const messages = useLoad((signal) => api<{ messages: Message[] } | Message[]>('GET', `/api/v1/requests/${code}/messages`, { realm: 'staff', signal }), [code]);
  if (messages.loading && !messages.data) return null;
  if (messages.error instanceof ApiError && messages.error.status === 404) {
    return (
      <Card size="small" title={<h2 className="card-title">پیامک‌ها</h2>}>
        <p className="muted">فهرست پیامک‌های این درخواست هنوز از سامانه در دسترس نیست.</p>
      </Card>
    );
  }
  const items = Array.isArray(messages.data) ? messages.data : (messages.data?.messages ?? []);
  return (
    <Card size="small" title={<h2 className="card-title">پیامک‌ها ({toPersianDigits(items.length)})</h2>}>
      <ErrorAlert error={messages.error} />
      {items.map((m, i) => (
        <div key={i} className="amount-row">
          <div>
            <div>{m.text}</div>
            <div className="muted small">{dateTimeFa(m.sentAt ?? m.createdAt ?? null)}</div>
          </div>
          {m.status ? <Tag color={DELIVERY[m.status]?.color}>{DELIVERY[m.status]?.label ?? m.status}</Tag> : null}
        </div>
      ))}
    </Card>
  );
}

function SlaSection({ code }: { code: string }) {
  const explanation = useLoad((signal) => api<SlaExplanation>('GET', `/api/v1/requests/${code}/sla`, { realm: 'staff', signal }), [code]);
  if (explanation.error) return <ErrorAlert error={explanation.error} />;
  if (!explanation.data) return <PageLoading label="در حال دریافت نمودار…" />;
  return <SlaChart explanation={explanation.data} />;
}

export function StaffRequest({ roles }: { roles: string[] }) {
  const { trackingCode = '' } = useParams();
  const request = useLoad((signal) => api<RequestView>('GET', `/api/v1/requests/${trackingCode}`, { realm: 'staff', signal }), [trackingCode]);
  const v = request.data;
  if (request.loading && !v) return <PageLoading label="در حال دریافت درخواست…" />;
  if (!v) return <ErrorAlert error={request.error} onRetry={request.reload} />;
  const whole = SLA_STATUS[v.sla.status];
  const a = v.applicant;
  return (
    <div className="card-stack">
      <p className="no-print">
        <Link to="/staff">بازگشت به صف کار</Link>
      </p>
      <Card>
        <div className="request-head">
          <div>
            <Typography.Title level={1} className="page-title">
              درخواست <TrackingCode code={v.trackingCode} />
            </Typography.Title>
            <div className="muted">
              {a.personType === 'legal' ? a.name : `${a.firstName ?? ''} ${a.lastName ?? ''}`} · {CHANNEL_TITLES[v.channel] ?? v.channel}
              {v.officeCode ? ` (دفتر ${toPersianDigits(v.officeCode)})` : ''} · ثبت {v.createdAtJalali}
            </div>
          </div>
          <div className="head-tags">
            <StateTag state={v.state} title={v.stateTitle} />
            {whole ? <Tag color={whole.color}>کل درخواست: {whole.label}</Tag> : null}
            {v.sla.escalatedAt ? <Tag color="error">ارجاع‌شده به سرپرست</Tag> : null}
          </div>
        </div>
        <p className="promise">
          وعده به متقاضی: <strong>{v.sla.promisedAtJalali ?? '—'}</strong> · زمان کاری شرکت: {durationFa(v.sla.companyWorkingMinutes)} از {durationFa(v.sla.wholeTargetWorkingMinutes)}
          {v.state === 'completed' ? (
            <>
              {' '}
              · <Link to={`/requests/${v.trackingCode}/result`}>گواهی نتیجه</Link>
            </>
          ) : null}
        </p>
        <ErrorAlert error={request.error} onRetry={request.reload} />
      </Card>
      <div className="grid-main-side">
        <div className="card-stack">
          <ActionsPanel view={v} roles={roles} onDone={request.setData} />
          <Card title={<h2 className="card-title">مراحل و موعدها</h2>}>
            <RequestTimeline view={v} audience="staff" />
            <SlaSection code={v.trackingCode} />
          </Card>
          <Card title={<h2 className="card-title">رویدادها</h2>}>
            <Table
              size="small"
              pagination={false}
              rowKey={(e) => `${e.at}-${e.action}`}
              dataSource={v.events}
              scroll={{ x: 560 }}
              columns={[
                { title: 'زمان', dataIndex: 'atJalali', key: 'at' },
                { title: 'اقدام', dataIndex: 'actionTitle', key: 'action' },
                { title: 'نقش', dataIndex: 'actorRole', key: 'role', render: (r: string) => ROLE_TITLES_FA[r as keyof typeof ROLE_TITLES_FA] ?? r },
                { title: 'علت / توضیح', dataIndex: 'reason', key: 'reason', render: (r: string | null) => r ?? '—' },
              ]}
            />
          </Card>
        </div>
        <div className="card-stack">
          <Card size="small" title={<h2 className="card-title">مبالغ</h2>}>
            {v.amountsDue.length === 0 ? <p className="muted">هنوز مبلغی اعلام نشده است.</p> : null}
            {v.amountsDue.map((d) => (
              <div className="amount-row" key={d.id}>
                <div>
                  <div>{d.title}</div>
                  <Money rials={d.amountRials} />
                  <div className="amount-meta">
                    شناسه قبض <bdi>{toPersianDigits(d.billId)}</bdi> · شناسه پرداخت <bdi>{toPersianDigits(d.paymentId)}</bdi>
                  </div>
                </div>
                {d.paid ? <Tag color="success">پرداخت‌شده {dateFa(d.paidAt)}</Tag> : <Tag color="warning">پرداخت‌نشده</Tag>}
              </div>
            ))}
          </Card>
          <Card size="small" title={<h2 className="card-title">متقاضی و انشعاب</h2>}>
            <dl className="kv">
              <dt>{a.personType === 'legal' ? 'شناسه ملی' : 'کد ملی'}</dt>
              <dd>
                <bdi>{toPersianDigits((a.personType === 'legal' ? a.nationalId : a.nationalCode) ?? '')}</bdi>
              </dd>
              <dt>همراه</dt>
              <dd>
                <bdi>{toPersianDigits(a.mobile)}</bdi>
              </dd>
              <dt>نسبت</dt>
              <dd>{v.relation === 'owner' ? 'مالک' : 'وکیل'}</dd>
              {v.powerOfAttorney ? (
                <>
                  <dt>وکالت‌نامه</dt>
                  <dd>
                    شماره {toPersianDigits(String(v.powerOfAttorney.number ?? ''))}، تاریخ {toPersianDigits(String(v.powerOfAttorney.date ?? ''))}
                    {v.powerOfAttorney.notaryOffice ? `، ${String(v.powerOfAttorney.notaryOffice)}` : ''}
                  </dd>
                </>
              ) : null}
              <dt>شناسه قبض</dt>
              <dd>
                <bdi>{toPersianDigits(v.billId)}</bdi>
              </dd>
              <dt>اشتراک</dt>
              <dd>
                <bdi>{toPersianDigits(v.accountNumber ?? '—')}</bdi>
              </dd>
              <dt>نشانی</dt>
              <dd>{String(v.connection.address ?? '—')}</dd>
              <dt>انشعاب</dt>
              <dd>
                {v.connection.phase === 3 ? 'سه‌فاز' : 'تک‌فاز'} {toPersianDigits(String(v.connection.amperes ?? ''))} آمپر · کنتور <bdi>{toPersianDigits(String(v.connection.meterSerial ?? ''))}</bdi>
              </dd>
              <dt>علت</dt>
              <dd>{v.reason ?? '—'}</dd>
            </dl>
          </Card>
          <Records view={v} />
          <Messages code={v.trackingCode} />
        </div>
      </div>
    </div>
  );
}
