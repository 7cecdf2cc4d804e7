// Staff workbench: sign-in, the work queue of the signed-in roles, a request with its actions,
// and the inbox of SLA warnings, breaches and reminders.
import { Badge, Card, List, Tag, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { Link, Route, Routes } from 'react-router';
import { api } from '../shared/api.ts';
import { dateTimeFa, toAsciiDigits } from '../shared/format.ts';
import { NOTIFICATION_KIND_TITLES, ROLE_TITLES_FA } from '../shared/labels.ts';
import { signOut, StaffSignIn, useSession } from '../shared/session.tsx';
import { Shell } from '../shared/shell.tsx';
import NotFound from '../shared/not-found.tsx';
import { EmptyState, ErrorAlert, PageLoading, useLoad } from '../shared/ui.tsx';
import { Queue } from './queue.tsx';
import { StaffRequest } from './staff-request.tsx';

const ROLES = ['clerk', 'finance', 'meter-tester', 'field-crew', 'supervisor', 'admin', 'auditor'];
const REPORT_ROLES = ['supervisor', 'admin', 'auditor'];
const AUDIT_ROLES = ['auditor', 'admin'];
// Reports and the audit view load on their own, so the queue's chunk stays as it was.
const DashboardPage = lazy(() => import('./dashboard.tsx'));
const AuditPage = lazy(() => import('./audit.tsx'));
const INBOX_ROLES = ['clerk', 'finance', 'meter-tester', 'field-crew', 'supervisor', 'admin'];

interface Notification {
  id: string;
  role: string;
  kind: string;
  text: string;
  createdAt: string;
  read: boolean;
}

function Inbox() {
  const inbox = useLoad((signal) => api<{ notifications: Notification[] }>('GET', '/api/v1/staff/notifications', { realm: 'staff', signal }), []);
  return (
    <section className="card-stack">
      <Typography.Title level={1} className="page-title">
        کارتابل هشدارها
      </Typography.Title>
      <ErrorAlert error={inbox.error} onRetry={inbox.reload} />
      {inbox.loading && !inbox.data ? <PageLoading /> : null}
      {inbox.data?.notifications.length === 0 ? <EmptyState title="هشداری ندارید.">هشدارهای ۵۰ و ۷۵ درصد، تأخیرها و یادآوری‌ها اینجا می‌آید.</EmptyState> : null}
      {inbox.data?.notifications.length ? (
        <Card>
          <List
            dataSource={inbox.data.notifications}
            renderItem={(n) => {
              const code = toAsciiDigits(n.text).match(/\b[1-9]\d{11}\b/)?.[0];
              return (
                <List.Item key={n.id}>
                  <div>
                    <Tag color={n.kind.includes('breach') || n.kind.includes('escalat') ? 'error' : 'warning'}>{NOTIFICATION_KIND_TITLES[n.kind] ?? 'هشدار'}</Tag>
                    {n.read ? null : <Badge status="processing" text="تازه" />}
                    <div>{n.text}</div>
                    <div className="muted small">
                      {dateTimeFa(n.createdAt)} · برای {ROLE_TITLES_FA[n.role as keyof typeof ROLE_TITLES_FA] ?? n.role}
                      {code ? (
                        <>
                          {' '}
                          · <Link to={`/staff/requests/${code}`}>باز کردن درخواست</Link>
                        </>
                      ) : null}
                    </div>
                  </div>
                </List.Item>
              );
            }}
          />
        </Card>
      ) : null}
    </section>
  );
}

function Forbidden() {
  return <EmptyState title="این بخش برای نقش شما نیست.">داشبورد ویژه سرپرست، مدیر سامانه و حسابرس است و رویدادها ویژه حسابرس و مدیر سامانه.</EmptyState>;
}

export default function StaffApp() {
  const session = useSession('staff');
  const roles = session?.roles.filter((r) => ROLES.includes(r)) ?? [];
  const allowed = roles.length > 0;
  const nav = allowed
    ? [
        { to: '/staff', label: 'صف کار', end: true },
        ...(roles.some((r) => INBOX_ROLES.includes(r)) ? [{ to: '/staff/inbox', label: 'هشدارها' }] : []),
        ...(roles.some((r) => REPORT_ROLES.includes(r)) ? [{ to: '/staff/dashboard', label: 'داشبورد' }] : []),
        ...(roles.some((r) => AUDIT_ROLES.includes(r)) ? [{ to: '/staff/audit', label: 'رویدادها (حسابرسی)' }] : []),
        ...(roles.some((r) => ['admin', 'supervisor', 'auditor'].includes(r)) ? [{ to: '/admin', label: 'مدیریت' }] : []),
      ]
    : [];
  return (
    <Shell
      area="میز کار کارکنان"
      wide
      nav={nav}
      user={allowed && session ? `${session.displayName ?? session.who} (${roles.map((r) => ROLE_TITLES_FA[r as keyof typeof ROLE_TITLES_FA]).join('، ')})` : null}
      onSignOut={() => signOut('staff')}
    >
      {!allowed ? (
        <StaffSignIn area="میز کار کارکنان" allowed={ROLES} hint="کارشناسان پذیرش، مالی، آزمایش کنتور، اکیپ اجرایی، سرپرستان و حسابرسان." />
      ) : (
        <Routes>
          <Route index element={<Queue roles={roles} />} />
          <Route path="requests/:trackingCode" element={<StaffRequest roles={roles} />} />
          <Route path="inbox" element={<Inbox />} />
          <Route path="dashboard" element={roles.some((r) => REPORT_ROLES.includes(r)) ? <Suspense fallback={<PageLoading />}><DashboardPage /></Suspense> : <Forbidden />} />
          <Route path="audit" element={roles.some((r) => AUDIT_ROLES.includes(r)) ? <Suspense fallback={<PageLoading />}><AuditPage /></Suspense> : <Forbidden />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      )}
    </Shell>
  );
}
