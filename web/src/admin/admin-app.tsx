// Administration: users and roles, working calendar (hours, holidays, closures), SLA agreement
// versions, tariff versions, SMS templates with preview, and the service information text.
import { Tabs, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ROLE_TITLES_FA } from '../shared/labels.ts';
import { signOut, StaffSignIn, useSession } from '../shared/session.tsx';
import { Shell } from '../shared/shell.tsx';
import { AgreementsTab } from './agreements-tab.tsx';
import { CalendarTab } from './calendar-tab.tsx';
import { ServiceTab, SmsTemplatesTab, TariffsTab } from './content-tabs.tsx';
import { UsersTab } from './users-tab.tsx';

const ROLES = ['admin', 'supervisor', 'auditor'];
const TABS = [
  { key: 'users', label: 'کاربران و نقش‌ها' },
  { key: 'calendar', label: 'تقویم کاری' },
  { key: 'agreements', label: 'توافقنامه سطح خدمت' },
  { key: 'tariffs', label: 'تعرفه‌ها' },
  { key: 'sms', label: 'متن پیامک‌ها' },
  { key: 'service', label: 'شناسنامه خدمت' },
];

export default function AdminApp() {
  const session = useSession('staff');
  const roles = session?.roles.filter((r) => ROLES.includes(r)) ?? [];
  const allowed = roles.length > 0;
  const canEdit = roles.includes('admin');
  const location = useLocation();
  const navigate = useNavigate();
  const active = location.pathname.split('/')[2] ?? 'users';
  return (
    <Shell
      area="مدیریت سامانه"
      wide
      nav={allowed ? [{ to: '/admin', label: 'مدیریت' }, { to: '/staff', label: 'میز کار' }] : []}
      user={allowed && session ? `${session.displayName ?? session.who} (${roles.map((r) => ROLE_TITLES_FA[r as keyof typeof ROLE_TITLES_FA]).join('، ')})` : null}
      onSignOut={() => signOut('staff')}
    >
      {!allowed ? (
        <StaffSignIn area="مدیریت سامانه" allowed={ROLES} hint="ویژه مدیر سامانه؛ سرپرست و حسابرس فقط می‌بینند." />
      ) : (
        <>
          <Typography.Title level={1} className="page-title">
            مدیریت سامانه
          </Typography.Title>
          <Tabs activeKey={active} onChange={(key) => void navigate(`/admin/${key}`)} items={TABS.map((t) => ({ key: t.key, label: t.label }))} />
          <Routes>
            <Route index element={<Navigate to="users" replace />} />
            <Route path="users" element={<UsersTab canEdit={canEdit} />} />
            <Route path="calendar" element={<CalendarTab canEdit={canEdit} />} />
            <Route path="agreements" element={<AgreementsTab canEdit={canEdit} />} />
            <Route path="tariffs" element={<TariffsTab canEdit={canEdit} />} />
            <Route path="sms" element={<SmsTemplatesTab canEdit={canEdit} />} />
            <Route path="service" element={<ServiceTab />} />
          </Routes>
        </>
      )}
    </Shell>
  );
}
