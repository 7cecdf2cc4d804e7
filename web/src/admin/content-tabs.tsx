// Tariff versions, SMS templates with preview, and the service information text. The tariff and
// SMS-template endpoints are being built by colleagues: a 404 shows a calm notice, not an error.
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { formatRials, toPersianDigits } from '../shared/format.ts';
import { JalaliInput } from '../shared/jalali-picker.tsx';
import { applyApiError, ErrorAlert, PageLoading, useLoad } from '../shared/ui.tsx';

function NotYet({ what }: { what: string }) {
  return <Alert type="info" showIcon title={`${what} هنوز در این نسخه سامانه فعال نشده است.`} description="پس از به‌روزرسانی سرور، همین صفحه فعال می‌شود." />;
}
const missing = (e: unknown) => e instanceof ApiError && (e.status === 404 || e.status === 405);

interface TariffItem {
  code: string;
  kind: string;
  title?: string;
  titleFa?: string;
  amountRials: number;
  phase?: number | null;
  amperes?: number | null;
}
interface TariffVersion {
  id?: string;
  version?: number;
  effectiveFrom: string;
  effectiveFromJalali?: string;
  isDemo?: boolean;
  items: TariffItem[];
}
const KIND: Record<string, string> = { 'removal-fee': 'هزینه جمع‌آوری', 'meter-test-fee': 'آزمایش کنتور', 'pishkhan-fee': 'کارمزد پیشخوان', 'reconnection-fee': 'وصل مجدد', damage: 'خسارت' };

export function TariffsTab({ canEdit }: { canEdit: boolean }) {
  const data = useLoad((signal) => api<{ tariffs?: TariffVersion[]; versions?: TariffVersion[] } | TariffVersion[]>('GET', '/api/v1/admin/tariffs', { realm: 'staff', signal }), []);
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const { message } = App.useApp();
  if (data.loading && !data.data) return <PageLoading />;
  if (missing(data.error)) return <NotYet what="مدیریت تعرفه‌ها" />;
  if (!data.data) return <ErrorAlert error={data.error} onRetry={data.reload} />;
  const versions = Array.isArray(data.data) ? data.data : (data.data.tariffs ?? data.data.versions ?? []);
  const latest = versions[0];
  return (
    <div className="card-stack">
      {versions.map((v, i) => (
        <Card key={v.id ?? v.version ?? i} size="small" title={<h2 className="card-title">تعرفه از {v.effectiveFromJalali ?? toPersianDigits(v.effectiveFrom.slice(0, 10))}</h2>} extra={v.isDemo ? <Tag>نمونه</Tag> : null}>
          <Table
            rowKey="code"
            size="small"
            pagination={false}
            dataSource={v.items}
            scroll={{ x: 480 }}
            columns={[
              { title: 'عنوان', key: 't', render: (_: unknown, it: TariffItem) => it.titleFa ?? it.title ?? it.code },
              { title: 'نوع', dataIndex: 'kind', key: 'k', render: (k: string) => KIND[k] ?? k },
              { title: 'مبلغ', dataIndex: 'amountRials', key: 'a', render: (n: number) => formatRials(n) },
            ]}
          />
        </Card>
      ))}
      {canEdit && latest ? (
        <Card title={<h2 className="card-title">نسخه تازه تعرفه</h2>}>
          <p className="muted">نسخه در حال اجرا ویرایش نمی‌شود؛ مبالغ تازه از تاریخ اجرا به کار می‌رود.</p>
          <Form
            form={form}
            name="tariff"
            layout="vertical"
            initialValues={{ items: latest.items.map((it) => ({ ...it, title: it.titleFa ?? it.title })) }}
            onFinish={async (v: { effectiveFrom: string; items: TariffItem[] }) => {
              setError(null);
              try {
                // The form holds only the amounts; every other column comes from the version in force.
                const items = latest.items.map((it, i) => ({
                  code: it.code, kind: it.kind, phase: it.phase ?? null, amperes: it.amperes ?? null,
                  title: it.titleFa ?? it.title ?? it.code, amountRials: Number(v.items?.[i]?.amountRials ?? it.amountRials),
                }));
                await api('POST', '/api/v1/admin/tariffs', { realm: 'staff', body: { effectiveFrom: v.effectiveFrom, items } });
                void message.success('نسخه تازه تعرفه ثبت شد.');
                data.reload();
              } catch (e) {
                if (!applyApiError(form, e)) setError(e);
                else setError(e);
              }
            }}
          >
            <Form.Item name="effectiveFrom" label="تاریخ اجرا" rules={[{ required: true, message: 'تاریخ اجرا را انتخاب کنید.' }]} style={{ maxWidth: 320 }}>
              <JalaliInput />
            </Form.Item>
            <Form.List name="items">
              {(fields) =>
                fields.map((f) => (
                  <Form.Item key={f.key} label={form.getFieldValue(['items', f.name, 'title'])} name={[f.name, 'amountRials']} rules={[{ required: true, message: 'مبلغ را وارد کنید.' }]} style={{ maxWidth: 420 }}>
                    <InputNumber min={0} step={1000} style={{ width: '100%' }} addonAfter="ریال" formatter={(n) => (n === undefined || n === null ? '' : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','))} />
                  </Form.Item>
                ))
              }
            </Form.List>
            <ErrorAlert error={error} />
            <Button type="primary" htmlType="submit">
              ثبت نسخه تعرفه
            </Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}

interface SmsTemplate {
  name: string;
  title?: string;
  titleFa?: string;
  text: string;
  variables?: string[];
}
interface Preview {
  rendered: string;
  segments: number;
  characters: number;
}

export function SmsTemplatesTab({ canEdit }: { canEdit: boolean }) {
  const data = useLoad((signal) => api<{ templates: SmsTemplate[] } | SmsTemplate[]>('GET', '/api/v1/admin/sms-templates', { realm: 'staff', signal }), []);
  const templates = data.data ? (Array.isArray(data.data) ? data.data : data.data.templates) : [];
  const [name, setName] = useState<string>();
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { message } = App.useApp();
  const selected = templates.find((t) => t.name === name) ?? templates[0];
  useEffect(() => {
    if (selected) {
      setText(selected.text);
      setPreview(null);
    }
  }, [selected?.name, selected?.text]);
  if (data.loading && !data.data) return <PageLoading />;
  if (missing(data.error)) return <NotYet what="ویرایش متن پیامک‌ها" />;
  if (!data.data) return <ErrorAlert error={data.error} onRetry={data.reload} />;
  if (!selected) return <p className="muted">قالبی تعریف نشده است.</p>;

  const run = async (kind: 'preview' | 'save') => {
    setError(null);
    try {
      if (kind === 'preview') setPreview(await api<Preview>('POST', `/api/v1/admin/sms-templates/${selected.name}/preview`, { realm: 'staff', body: { text } }));
      else {
        await api('PUT', `/api/v1/admin/sms-templates/${selected.name}`, { realm: 'staff', body: { text } });
        void message.success('متن پیامک ذخیره شد.');
        data.reload();
      }
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="grid-2">
      <Card title={<h2 className="card-title">قالب پیامک</h2>}>
        <label htmlFor="sms-template" className="field-label">
          قالب
        </label>
        <Select id="sms-template" style={{ width: '100%' }} className="block-gap" value={selected.name} onChange={setName} options={templates.map((t) => ({ value: t.name, label: t.titleFa ?? t.title ?? t.name }))} />
        {selected.variables?.length ? (
          <p className="muted small">
            متغیرها:{' '}
            {selected.variables.map((v) => (
              <Tag key={v}>
                <bdi>{`{${v}}`}</bdi>
              </Tag>
            ))}
          </p>
        ) : null}
        <label htmlFor="sms-text" className="field-label">
          متن
        </label>
        <Input.TextArea id="sms-text" rows={6} value={text} onChange={(e) => setText(e.target.value)} disabled={!canEdit} />
        <ErrorAlert error={error} />
        <div className="hero-actions" style={{ marginTop: 12 }}>
          <Button onClick={() => void run('preview')}>پیش‌نمایش</Button>
          {canEdit ? (
            <Button type="primary" onClick={() => void run('save')}>
              ذخیره
            </Button>
          ) : null}
        </div>
      </Card>
      <Card title={<h2 className="card-title">پیش‌نمایش با داده نمونه</h2>}>
        {preview ? (
          <>
            <div className="sms-preview">{preview.rendered}</div>
            <p className="muted">
              {toPersianDigits(preview.characters)} نویسه · {toPersianDigits(preview.segments)} پیامک
            </p>
          </>
        ) : (
          <p className="muted">برای دیدن متن نهایی و تعداد پیامک‌ها، «پیش‌نمایش» را بزنید.</p>
        )}
      </Card>
    </div>
  );
}

interface ServiceForm {
  title: string;
  description: string;
  documents: string[];
  steps: string[];
  rules: string[];
  hours: string;
  version: number;
}

export function ServiceTab() {
  const form = useLoad((signal) => api<ServiceForm>('GET', '/api/v1/services/temporary-removal', { signal }), []);
  if (form.loading && !form.data) return <PageLoading />;
  if (!form.data) return <ErrorAlert error={form.error} onRetry={form.reload} />;
  const f = form.data;
  return (
    <Card title={<h2 className="card-title">شناسنامه خدمت «{f.title}» — نسخه {toPersianDigits(f.version)}</h2>}>
      <Alert type="info" showIcon className="block-gap" title="ویرایش متن شناسنامه خدمت از راه سامانه هنوز ممکن نیست؛ متن منتشرشده را اینجا می‌بینید." />
      <dl className="kv">
        <dt>شرح</dt>
        <dd>{f.description}</dd>
        <dt>مدارک</dt>
        <dd>{f.documents.join('؛ ')}</dd>
        <dt>مراحل</dt>
        <dd>
          <ol>
            {f.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </dd>
        <dt>قواعد</dt>
        <dd>{f.rules.join(' ')}</dd>
        <dt>ساعات</dt>
        <dd>{f.hours}</dd>
      </dl>
    </Card>
  );
}
