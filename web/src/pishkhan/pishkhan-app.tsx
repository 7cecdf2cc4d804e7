// Pishkhan desk: an operator of a licensed office files requests for walk-in citizens (channel
// `pishkhan`; the office is recorded from the operator's account), prints the receipt with the
// tracking code, and sees the office's requests.
import { Button, Card, List, Tabs, Typography } from 'antd';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router';
import { api, type RequestPage, type RequestView } from '../shared/api.ts';
import { dateFa, groupedCode, toPersianDigits } from '../shared/format.ts';
import { RequestForm } from '../shared/request-form.tsx';
import { signOut, StaffSignIn, useSession } from '../shared/session.tsx';
import { Shell } from '../shared/shell.tsx';
import { EmptyState, ErrorAlert, Money, PageLoading, StateTag, TrackingCode, useLoad } from '../shared/ui.tsx';

const ROLES = ['pishkhan-operator'];

function OfficeRequests() {
  const list = useLoad((signal) => api<RequestPage>('GET', '/api/v1/requests?pageSize=100', { realm: 'staff', signal }), []);
  if (list.loading && !list.data) return <PageLoading />;
  return (
    <>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      {list.data?.items.length === 0 ? <EmptyState title="این دفتر هنوز درخواستی ثبت نکرده است." /> : null}
      {list.data?.items.length ? (
        <List
          dataSource={list.data.items}
          renderItem={(item) => (
            <List.Item key={item.trackingCode}>
              <div className="request-head" style={{ width: '100%' }}>
                <div>
                  <Link to={`/pishkhan/receipt/${item.trackingCode}`}>
                    <TrackingCode code={item.trackingCode} copy={false} />
                  </Link>
                  <div className="muted">
                    {item.applicantName} · شناسه قبض <bdi>{toPersianDigits(item.billId)}</bdi> · {dateFa(item.createdAt)}
                  </div>
                  {item.totalDueRials > 0 ? (
                    <div>
                      قابل پرداخت: <Money rials={item.totalDueRials} />
                    </div>
                  ) : null}
                </div>
                <StateTag state={item.state} title={item.stateTitle} />
              </div>
            </List.Item>
          )}
        />
      ) : null}
    </>
  );
}

function Desk() {
  const navigate = useNavigate();
  return (
    <>
      <Typography.Title level={1} className="page-title">
        میز پیشخوان
      </Typography.Title>
      <Tabs
        items={[
          {
            key: 'file',
            label: 'ثبت درخواست مراجعه‌کننده',
            children: (
              <Card className="narrow-card">
                <p className="muted">مدارک را از مراجعه‌کننده بگیرید و تطبیق دهید: کارت ملی مالک، قبض برق، و در صورت وکالت، وکالت‌نامه رسمی.</p>
                <RequestForm channel="pishkhan" realm="staff" onFiled={(view) => void navigate(`/pishkhan/receipt/${view.trackingCode}`)} submitLabel="ثبت درخواست و صدور رسید" />
              </Card>
            ),
          },
          { key: 'office', label: 'درخواست‌های دفتر', children: <OfficeRequests /> },
        ]}
      />
    </>
  );
}

function Receipt() {
  const { trackingCode = '' } = useParams();
  const request = useLoad((signal) => api<RequestView>('GET', `/api/v1/requests/${trackingCode}`, { realm: 'staff', signal }), [trackingCode]);
  const v = request.data;
  if (request.loading && !v) return <PageLoading />;
  if (!v) return <ErrorAlert error={request.error} onRetry={request.reload} />;
  const name = v.applicant.personType === 'legal' ? v.applicant.name : `${v.applicant.firstName ?? ''} ${v.applicant.lastName ?? ''}`;
  return (
    <div className="narrow card-stack">
      <div className="no-print hero-actions">
        <Button type="primary" onClick={() => window.print()}>
          چاپ رسید
        </Button>
        <Link to="/pishkhan" className="ant-btn">
          ثبت درخواست دیگر
        </Link>
      </div>
      <article className="receipt" aria-labelledby="receipt-title">
        <h1 id="receipt-title" className="page-title">
          رسید ثبت درخواست جمع‌آوری موقت انشعاب
        </h1>
        <p className="muted">دفتر پیشخوان {toPersianDigits(v.officeCode ?? '—')} · شرکت توزیع نیروی برق استان قم</p>
        <div className="receipt-code">
          <span>کد رهگیری</span>
          <strong>
            <bdi>{groupedCode(v.trackingCode)}</bdi>
          </strong>
        </div>
        <dl className="kv">
          <dt>متقاضی</dt>
          <dd>{name}</dd>
          <dt>{v.applicant.personType === 'legal' ? 'شناسه ملی' : 'کد ملی'}</dt>
          <dd>
            <bdi>{toPersianDigits((v.applicant.personType === 'legal' ? v.applicant.nationalId : v.applicant.nationalCode) ?? '')}</bdi>
          </dd>
          <dt>شماره همراه</dt>
          <dd>
            <bdi>{toPersianDigits(v.applicant.mobile)}</bdi>
          </dd>
          <dt>شناسه قبض</dt>
          <dd>
            <bdi>{toPersianDigits(v.billId)}</bdi>
          </dd>
          <dt>نشانی</dt>
          <dd>{String(v.connection.address ?? '—')}</dd>
          <dt>زمان ثبت</dt>
          <dd>{v.createdAtJalali}</dd>
          <dt>وضعیت</dt>
          <dd>{v.stateTitle}</dd>
          <dt>تاریخ وعده‌داده‌شده</dt>
          <dd>{v.sla.promisedAtJalali ?? '—'}</dd>
        </dl>
        <p>
          پیگیری: نشانی <bdi>/track</bdi> در میز خدمت برق، با کد رهگیری و کد ملی. هزینه‌ها پس از بررسی پیامک می‌شود؛ وجوه پرداخت‌شده در صورت انصراف یا نپذیرفتن شرایط بازگردانده نمی‌شود.
        </p>
      </article>
    </div>
  );
}

export default function PishkhanApp() {
  const session = useSession('staff');
  const allowed = session && session.roles.some((r) => ROLES.includes(r));
  return (
    <Shell
      area="میز دفتر پیشخوان"
      nav={allowed ? [{ to: '/pishkhan', label: 'میز پیشخوان', end: true }] : []}
      user={session && allowed ? `${session.displayName ?? session.who}${session.officeCode ? ` · دفتر ${toPersianDigits(session.officeCode)}` : ''}` : null}
      onSignOut={() => signOut('staff')}
    >
      {!allowed ? (
        <StaffSignIn area="میز دفتر پیشخوان" allowed={ROLES} hint="ویژه متصدیان دفاتر پیشخوان دولت." />
      ) : (
        <Routes>
          <Route index element={<Desk />} />
          <Route path="receipt/:trackingCode" element={<Receipt />} />
        </Routes>
      )}
    </Shell>
  );
}
