// The auditors' view of the event log (issue 7): every event of every request, newest first,
// filtered by Jalali period, action, role and tracking code, paged by the server, and exported
// whole as CSV or Excel with the same filters.
import { App, Button, Card, Form, Input, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../shared/api.ts';
import { fa } from '../shared/charts.tsx';
import { downloadFile, queryString } from '../shared/download.ts';
import { asciiTrim, toPersianDigits } from '../shared/format.ts';
import { JalaliInput } from '../shared/jalali-picker.tsx';
import { ROLE_TITLES_FA, STATE_INFO, TRANSITIONS } from '../shared/labels.ts';
import { busyIcon } from '../shared/loading.tsx';
import { EmptyState, ErrorAlert, TrackingCode, useLoad } from '../shared/ui.tsx';

interface AuditEvent {
  id: number;
  trackingCode: string;
  action: string;
  actionLabel: string;
  fromState: string | null;
  toState: string | null;
  actorKind: string;
  actorId: string | null;
  actorRole: string;
  actorRoleLabel: string;
  channel: string | null;
  at: string;
  atJalali: string;
  reason: string | null;
}

interface AuditPage {
  items: AuditEvent[];
  page: number;
  pageSize: number;
  total: number;
}

interface Filters {
  from?: string;
  to?: string;
  action?: string;
  actorRole?: string;
  trackingCode?: string;
}

const ACTION_OPTIONS = [
  { value: 'submit', label: 'ثبت درخواست' },
  ...Object.entries(TRANSITIONS).map(([value, t]) => ({ value, label: t.titleFa })),
  { value: 'escalate', label: 'ارجاع به سرپرست (تأخیر)' },
];
const ROLE_OPTIONS = Object.entries(ROLE_TITLES_FA).map(([value, label]) => ({ value, label }));
const FILTER_KEYS = ['from', 'to', 'action', 'actorRole', 'trackingCode'] as const;
const PAGE_SIZE = 20;
const stateFa = (s: string) => (STATE_INFO as Record<string, { titleFa: string }>)[s]?.titleFa ?? s;

export default function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters: Filters = useMemo(() => {
    const f: Filters = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [form] = Form.useForm<Filters>();
  const { message } = App.useApp();
  const [downloading, setDownloading] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const qs = queryString({ ...filters });
  const events = useLoad((signal) => api<AuditPage>('GET', `/api/v1/audit/events${queryString({ ...filters, page, pageSize: PAGE_SIZE })}`, { realm: 'staff', signal }), [qs, page]);

  function apply(values: Filters) {
    const next = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const v = k === 'trackingCode' ? asciiTrim(values[k]) : values[k];
      if (v) next.set(k, v);
    }
    setParams(next);
  }

  function goTo(p: number) {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    setParams(next);
  }

  async function download(format: 'csv' | 'xlsx') {
    setDownloading(format);
    setDownloadError(null);
    try {
      const name = await downloadFile(`/api/v1/audit/events/export${queryString({ ...filters, format })}`, `audit-events.${format}`);
      void message.success(`فایل ${name} دریافت شد.`);
    } catch (e) {
      setDownloadError(e);
    } finally {
      setDownloading(null);
    }
  }

  const columns: ColumnsType<AuditEvent> = [
    { title: 'زمان', dataIndex: 'atJalali', key: 'at', width: 200 },
    { title: 'کد رهگیری', dataIndex: 'trackingCode', key: 'code', render: (c: string) => <Link to={`/staff/requests/${c}`}><TrackingCode code={c} copy={false} /></Link> },
    { title: 'اقدام', dataIndex: 'actionLabel', key: 'action' },
    { title: 'کنشگر', key: 'actor', render: (_, e) => (<>{e.actorRoleLabel}{e.actorId ? <div className="muted small"><bdi>{e.actorId}</bdi></div> : null}</>) },
    { title: 'تغییر وضعیت', key: 'states', render: (_, e) => (e.fromState && e.toState && e.fromState !== e.toState ? `${stateFa(e.fromState)} ← ${stateFa(e.toState)}` : '—') },
    { title: 'علت', dataIndex: 'reason', key: 'reason', render: (r: string | null) => r ?? '—' },
  ];

  return (
    <section className="card-stack">
      <Typography.Title level={1} className="page-title">
        رویدادهای درخواست‌ها (حسابرسی)
      </Typography.Title>
      <Card>
        <Form<Filters> form={form} layout="vertical" initialValues={filters} onFinish={apply} className="filter-grid" requiredMark={false}>
          <Form.Item name="from" label="از تاریخ">
            <JalaliInput placeholder="بدون محدودیت" />
          </Form.Item>
          <Form.Item name="to" label="تا تاریخ">
            <JalaliInput placeholder="بدون محدودیت" />
          </Form.Item>
          <Form.Item name="action" label="اقدام">
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="همه اقدام‌ها" options={ACTION_OPTIONS} />
          </Form.Item>
          <Form.Item name="actorRole" label="نقش کنشگر">
            <Select allowClear placeholder="همه نقش‌ها" options={ROLE_OPTIONS} />
          </Form.Item>
          <Form.Item
            name="trackingCode"
            label="کد رهگیری"
            rules={[{ validator: (_, v) => (!v || /^\d{12}$/.test(asciiTrim(v)) ? Promise.resolve() : Promise.reject(new Error('کد رهگیری ۱۲ رقم است.'))) }]}
          >
            <Input inputMode="numeric" dir="ltr" className="ltr-input" maxLength={14} allowClear />
          </Form.Item>
          <div className="filter-actions">
            <Button type="primary" htmlType="submit">
              جست‌وجو
            </Button>
            <Button
              onClick={() => {
                form.setFieldsValue({ from: undefined, to: undefined, action: undefined, actorRole: undefined, trackingCode: undefined });
                setParams(new URLSearchParams());
              }}
            >
              پاک کردن فیلترها
            </Button>
          </div>
        </Form>
      </Card>
      <Card
        title={<h2 className="card-title">{events.data ? `${fa(events.data.total, 0)} رویداد` : 'رویدادها'}</h2>}
        extra={
          <div className="hero-actions">
            <Button onClick={() => void download('csv')} loading={busyIcon(downloading === 'csv')} disabled={downloading !== null}>
              خروجی CSV
            </Button>
            <Button onClick={() => void download('xlsx')} loading={busyIcon(downloading === 'xlsx')} disabled={downloading !== null}>
              خروجی اکسل
            </Button>
          </div>
        }
      >
        <ErrorAlert error={downloadError} title="دریافت فایل ممکن نشد" />
        <ErrorAlert error={events.error} onRetry={events.reload} title="رویدادها بارگذاری نشد" />
        {events.data && events.data.total === 0 ? (
          <EmptyState title="رویدادی با این فیلترها یافت نشد.">بازه یا فیلترها را تغییر دهید.</EmptyState>
        ) : (
          <Table<AuditEvent>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={events.data?.items ?? []}
            loading={events.loading ? { indicator: <span className="spinner" aria-hidden="true" />, tip: 'در حال بارگذاری…' } : false}
            scroll={{ x: 900 }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: events.data?.total ?? 0,
              showSizeChanger: false,
              onChange: goTo,
              showTotal: (total, [a, b]) => `${toPersianDigits(a)} تا ${toPersianDigits(b)} از ${fa(total, 0)}`,
            }}
          />
        )}
      </Card>
    </section>
  );
}
