// The working calendar: working days and hours, official and ad-hoc holidays (Jalali), closures.
import { App, Button, Card, Checkbox, Form, Input, Popconfirm, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { asciiTrim, dateFa, dateTimeFa, toPersianDigits } from '../shared/format.ts';
import { JalaliInput } from '../shared/jalali-picker.tsx';
import { applyApiError, ErrorAlert, PageLoading, useLoad } from '../shared/ui.tsx';

interface Hours {
  workingWeekdays: number[];
  dayStart: string;
  dayEnd: string;
}
interface Holiday {
  id: string;
  date: string;
  gregorian: string;
  title: string;
  kind: string;
  source: string;
}
interface Closure {
  id: string;
  startsAt: string;
  endsAt: string;
  title: string;
}

const WEEKDAYS = [
  { value: 6, label: 'شنبه' },
  { value: 0, label: 'یکشنبه' },
  { value: 1, label: 'دوشنبه' },
  { value: 2, label: 'سه‌شنبه' },
  { value: 3, label: 'چهارشنبه' },
  { value: 4, label: 'پنجشنبه' },
  { value: 5, label: 'جمعه' },
];
const KIND = { solar: 'رسمی (شمسی)', lunar: 'رسمی (قمری)', 'ad-hoc': 'موردی' } as Record<string, string>;
const time = { pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'ساعت را مانند ۰۷:۰۰ بنویسید.' };

function HoursCard({ canEdit }: { canEdit: boolean }) {
  const hours = useLoad((signal) => api<Hours>('GET', '/api/v1/admin/calendar/hours', { realm: 'staff', signal }), []);
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const { message } = App.useApp();
  if (hours.loading && !hours.data) return <PageLoading />;
  if (!hours.data) return <ErrorAlert error={hours.error} onRetry={hours.reload} />;
  return (
    <Card title={<h2 className="card-title">روزها و ساعات کاری</h2>}>
      <Form
        form={form}
        name="hours"
        layout="vertical"
        disabled={!canEdit}
        initialValues={{ ...hours.data, dayStart: toPersianDigits(hours.data.dayStart), dayEnd: toPersianDigits(hours.data.dayEnd) }}
        onFinish={async (v: Hours) => {
          setError(null);
          try {
            hours.setData(await api<Hours>('PUT', '/api/v1/admin/calendar/hours', { realm: 'staff', body: { workingWeekdays: v.workingWeekdays, dayStart: asciiTrim(v.dayStart), dayEnd: asciiTrim(v.dayEnd) } }));
            void message.success('ساعات کاری ذخیره شد؛ موعد درخواست‌های باز دوباره محاسبه می‌شود.');
          } catch (e) {
            if (!applyApiError(form, e)) setError(e);
          }
        }}
      >
        <Form.Item name="workingWeekdays" label="روزهای کاری" rules={[{ validator: (_, v: number[] | undefined) => (v?.length ? Promise.resolve() : Promise.reject(new Error('دست‌کم یک روز کاری انتخاب کنید.'))) }]}>
          <Checkbox.Group options={WEEKDAYS} role="group" aria-label="روزهای کاری" />
        </Form.Item>
        <div className="two-cols" style={{ maxWidth: 420 }}>
          <Form.Item name="dayStart" label="آغاز" rules={[{ required: true, message: 'ساعت آغاز را وارد کنید.' }, { validator: (_, v) => (time.pattern.test(asciiTrim(v)) ? Promise.resolve() : Promise.reject(new Error(time.message))) }]}>
            <Input dir="ltr" className="ltr-input" maxLength={5} />
          </Form.Item>
          <Form.Item name="dayEnd" label="پایان" rules={[{ required: true, message: 'ساعت پایان را وارد کنید.' }, { validator: (_, v) => (time.pattern.test(asciiTrim(v)) ? Promise.resolve() : Promise.reject(new Error(time.message))) }]}>
            <Input dir="ltr" className="ltr-input" maxLength={5} />
          </Form.Item>
        </div>
        <ErrorAlert error={error} />
        {canEdit ? (
          <Button type="primary" htmlType="submit">
            ذخیره ساعات کاری
          </Button>
        ) : null}
      </Form>
    </Card>
  );
}

function HolidaysCard({ canEdit }: { canEdit: boolean }) {
  const [year, setYear] = useState(1405);
  const holidays = useLoad((signal) => api<{ holidays: Holiday[] }>('GET', `/api/v1/admin/calendar/holidays?year=${year}`, { realm: 'staff', signal }), [year]);
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const { message } = App.useApp();
  return (
    <Card
      title={<h2 className="card-title">تعطیلات</h2>}
      extra={<Select aria-label="سال" value={year} onChange={setYear} options={[1405, 1406, 1407].map((y) => ({ value: y, label: toPersianDigits(y) }))} />}
    >
      <ErrorAlert error={holidays.error} onRetry={holidays.reload} />
      {canEdit ? (
        <Form
          form={form}
          name="holiday"
          layout="inline"
          className="block-gap inline-form"
          onFinish={async (v: { date: string; title: string; kind?: string }) => {
            setError(null);
            try {
              await api('POST', '/api/v1/admin/calendar/holidays', { realm: 'staff', body: { date: v.date, title: v.title, kind: v.kind ?? 'ad-hoc' } });
              void message.success('تعطیل افزوده شد.');
              form.resetFields();
              holidays.reload();
            } catch (e) {
              if (!applyApiError(form, e)) setError(e);
            }
          }}
        >
          <Form.Item name="date" label="تاریخ" rules={[{ required: true, message: 'تاریخ را انتخاب کنید.' }]}>
            <JalaliInput />
          </Form.Item>
          <Form.Item name="title" label="عنوان" rules={[{ required: true, message: 'عنوان را وارد کنید.' }, { min: 2, message: 'عنوان کوتاه است.' }]}>
            <Input maxLength={120} />
          </Form.Item>
          <Form.Item name="kind" label="نوع" initialValue="ad-hoc">
            <Select style={{ minWidth: 140 }} options={Object.entries(KIND).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            افزودن تعطیل
          </Button>
        </Form>
      ) : null}
      <ErrorAlert error={error} />
      <Table
        rowKey="id"
        size="small"
        loading={holidays.loading}
        dataSource={holidays.data?.holidays ?? []}
        pagination={{ pageSize: 10, showSizeChanger: false }}
        scroll={{ x: 520 }}
        columns={[
          { title: 'تاریخ', key: 'date', render: (_: unknown, h: Holiday) => dateFa(`${h.gregorian}T12:00:00Z`) },
          { title: 'عنوان', dataIndex: 'title', key: 'title' },
          { title: 'نوع', dataIndex: 'kind', key: 'kind', render: (k: string, h: Holiday) => <Tag color={h.source === 'official' ? 'blue' : 'gold'}>{KIND[k] ?? k}</Tag> },
          ...(canEdit
            ? [
                {
                  title: 'اقدام',
                  key: 'delete',
                  render: (_: unknown, h: Holiday) => (
                    <Popconfirm
                      title={`«${h.title}» حذف شود؟`}
                      okText="حذف"
                      cancelText="انصراف"
                      onConfirm={async () => {
                        try {
                          await api('DELETE', `/api/v1/admin/calendar/holidays/${h.id}`, { realm: 'staff' });
                          holidays.reload();
                        } catch (e) {
                          void message.error(e instanceof Error ? e.message : 'حذف انجام نشد.');
                        }
                      }}
                    >
                      <Button size="small" danger aria-label={`حذف ${h.title}`}>
                        حذف
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function ClosuresCard({ canEdit }: { canEdit: boolean }) {
  const closures = useLoad((signal) => api<{ closures: Closure[] }>('GET', '/api/v1/admin/calendar/closures', { realm: 'staff', signal }), []);
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const { message } = App.useApp();
  return (
    <Card title={<h2 className="card-title">تعطیلی‌های موردی (بازه زمانی)</h2>}>
      <ErrorAlert error={closures.error} onRetry={closures.reload} />
      {canEdit ? (
        <Form
          form={form}
          name="closure"
          layout="vertical"
          className="block-gap"
          style={{ maxWidth: 640 }}
          onFinish={async (v: { startsAt: string; endsAt: string; title: string }) => {
            setError(null);
            try {
              await api('POST', '/api/v1/admin/calendar/closures', { realm: 'staff', body: v });
              void message.success('تعطیلی ثبت شد.');
              form.resetFields();
              closures.reload();
            } catch (e) {
              if (!applyApiError(form, e)) setError(e);
            }
          }}
        >
          <div className="two-cols">
            <Form.Item name="startsAt" label="از" rules={[{ required: true, message: 'آغاز را انتخاب کنید.' }]}>
              <JalaliInput withTime />
            </Form.Item>
            <Form.Item name="endsAt" label="تا" rules={[{ required: true, message: 'پایان را انتخاب کنید.' }]}>
              <JalaliInput withTime />
            </Form.Item>
          </div>
          <Form.Item name="title" label="علت" rules={[{ required: true, message: 'علت تعطیلی را بنویسید.' }, { min: 2, message: 'کوتاه است.' }]}>
            <Input maxLength={120} placeholder="مثلاً تعطیلی به دلیل آلودگی هوا" />
          </Form.Item>
          <ErrorAlert error={error} />
          <Button type="primary" htmlType="submit">
            ثبت تعطیلی
          </Button>
        </Form>
      ) : null}
      <Table
        rowKey="id"
        size="small"
        loading={closures.loading}
        dataSource={closures.data?.closures ?? []}
        pagination={false}
        locale={{ emptyText: 'تعطیلی موردی ثبت نشده است.' }}
        scroll={{ x: 520 }}
        columns={[
          { title: 'از', dataIndex: 'startsAt', key: 'from', render: (d: string) => dateTimeFa(d) },
          { title: 'تا', dataIndex: 'endsAt', key: 'to', render: (d: string) => dateTimeFa(d) },
          { title: 'علت', dataIndex: 'title', key: 'title' },
          ...(canEdit
            ? [
                {
                  title: 'اقدام',
                  key: 'delete',
                  render: (_: unknown, c: Closure) => (
                    <Button
                      size="small"
                      danger
                      onClick={async () => {
                        try {
                          await api('DELETE', `/api/v1/admin/calendar/closures/${c.id}`, { realm: 'staff' });
                          closures.reload();
                        } catch (e) {
                          void message.error(e instanceof Error ? e.message : 'حذف انجام نشد.');
                        }
                      }}
                    >
                      حذف
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

export function CalendarTab({ canEdit }: { canEdit: boolean }) {
  return (
    <div className="card-stack">
      <HoursCard canEdit={canEdit} />
      <HolidaysCard canEdit={canEdit} />
      <ClosuresCard canEdit={canEdit} />
    </div>
  );
}
