// Users and roles: the staff accounts, a form to add one, and deactivation.
import { busyIcon } from '../shared/loading.tsx';
import { App, Button, Card, Checkbox, Form, Input, Popconfirm, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { asciiTrim, dateFa, toPersianDigits } from '../shared/format.ts';
import { ROLE_TITLES_FA } from '../shared/labels.ts';
import { applyApiError, ErrorAlert, PageLoading, useLoad } from '../shared/ui.tsx';

interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  officeCode: string | null;
  active: boolean;
  createdAt: string;
}

const ROLE_OPTIONS = ['clerk', 'finance', 'meter-tester', 'field-crew', 'supervisor', 'admin', 'auditor', 'pishkhan-operator'].map((r) => ({ value: r, label: ROLE_TITLES_FA[r as keyof typeof ROLE_TITLES_FA] }));

export function UsersTab({ canEdit }: { canEdit: boolean }) {
  const users = useLoad((signal) => api<{ users: StaffUser[] }>('GET', '/api/v1/admin/users', { realm: 'staff', signal }), []);
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const roles = (Form.useWatch('roles', form) as string[] | undefined) ?? [];

  async function create(values: { username: string; displayName: string; password: string; roles: string[]; officeCode?: string }) {
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/v1/admin/users', { realm: 'staff', body: { ...values, ...(values.officeCode ? { officeCode: asciiTrim(values.officeCode) } : {}) } });
      void message.success(`کاربر «${values.displayName}» افزوده شد.`);
      form.resetFields();
      users.reload();
    } catch (e) {
      if (!applyApiError(form, e)) setError(e);
      else setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function deactivate(user: StaffUser) {
    try {
      await api('POST', `/api/v1/admin/users/${user.id}/deactivate`, { realm: 'staff' });
      void message.success(`حساب «${user.displayName}» غیرفعال شد.`);
      users.reload();
    } catch (e) {
      void message.error(e instanceof Error ? e.message : 'غیرفعال کردن انجام نشد.');
    }
  }

  return (
    <div className="card-stack">
      <ErrorAlert error={users.error} onRetry={users.reload} />
      {users.loading && !users.data ? <PageLoading /> : null}
      {users.data ? (
        <Card title={<h2 className="card-title">کاربران ({toPersianDigits(users.data.users.length)})</h2>}>
          <Table
            rowKey="id"
            size="small"
            dataSource={users.data.users}
            pagination={false}
            scroll={{ x: 720 }}
            columns={[
              { title: 'نام', dataIndex: 'displayName', key: 'name' },
              { title: 'نام کاربری', dataIndex: 'username', key: 'username', render: (u: string) => <bdi>{u}</bdi> },
              { title: 'نقش‌ها', dataIndex: 'roles', key: 'roles', render: (rs: string[]) => rs.map((r) => <Tag key={r}>{ROLE_TITLES_FA[r as keyof typeof ROLE_TITLES_FA] ?? r}</Tag>) },
              { title: 'دفتر', dataIndex: 'officeCode', key: 'office', render: (o: string | null) => (o ? toPersianDigits(o) : '—') },
              { title: 'ایجاد', dataIndex: 'createdAt', key: 'created', render: (d: string) => dateFa(d) },
              { title: 'وضعیت', dataIndex: 'active', key: 'active', render: (a: boolean) => (a ? <Tag color="success">فعال</Tag> : <Tag>غیرفعال</Tag>) },
              {
                title: 'اقدام',
                key: 'actions',
                render: (_: unknown, u: StaffUser) =>
                  canEdit && u.active ? (
                    <Popconfirm title={`حساب «${u.displayName}» غیرفعال شود؟`} description="نشست‌های باز او هم بسته می‌شود." okText="غیرفعال شود" cancelText="انصراف" onConfirm={() => deactivate(u)}>
                      <Button size="small" danger aria-label={`غیرفعال کردن ${u.displayName}`}>
                        غیرفعال کردن
                      </Button>
                    </Popconfirm>
                  ) : null,
              },
            ]}
          />
        </Card>
      ) : null}
      {canEdit ? (
        <Card title={<h2 className="card-title">افزودن کاربر</h2>}>
          <Form form={form} name="user" layout="vertical" onFinish={(v) => void create(v)} requiredMark="optional" style={{ maxWidth: 640 }}>
            <div className="two-cols">
              <Form.Item name="displayName" label="نام و نام خانوادگی" rules={[{ required: true, message: 'نام را وارد کنید.' }]}>
                <Input maxLength={80} />
              </Form.Item>
              <Form.Item name="username" label="نام کاربری (لاتین)" rules={[{ required: true, message: 'نام کاربری را وارد کنید.' }]}>
                <Input dir="ltr" className="ltr-input" maxLength={40} autoComplete="off" />
              </Form.Item>
            </div>
            <Form.Item name="password" label="گذرواژه اولیه" rules={[{ required: true, message: 'گذرواژه را وارد کنید.' }, { min: 10, message: 'گذرواژه دست‌کم ۱۰ نویسه است.' }]}>
              <Input.Password dir="ltr" className="ltr-input" autoComplete="new-password" />
            </Form.Item>
            <Form.Item name="roles" label="نقش‌ها" rules={[{ validator: (_, v: string[] | undefined) => (v?.length ? Promise.resolve() : Promise.reject(new Error('دست‌کم یک نقش انتخاب کنید.'))) }]}>
              <Checkbox.Group options={ROLE_OPTIONS} role="group" aria-label="نقش‌ها" />
            </Form.Item>
            {roles.includes('pishkhan-operator') ? (
              <Form.Item name="officeCode" label="کد دفتر پیشخوان" rules={[{ required: true, message: 'کد دفتر را وارد کنید.' }]}>
                <Input inputMode="numeric" dir="ltr" className="ltr-input" maxLength={12} />
              </Form.Item>
            ) : null}
            <ErrorAlert error={error} />
            <Button type="primary" htmlType="submit" loading={busyIcon(busy)}>
              افزودن کاربر
            </Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
