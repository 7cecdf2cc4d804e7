// SLA agreement versions: the versions published, which is in force, and a form to publish the
// next one (targets entered in working hours and calendar days, sent in minutes and days).
import { App, Button, Card, Form, Input, InputNumber, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../shared/api.ts';
import { durationFa, toPersianDigits } from '../shared/format.ts';
import { JalaliInput } from '../shared/jalali-picker.tsx';
import { applyApiError, ErrorAlert, PageLoading, useLoad } from '../shared/ui.tsx';

interface Targets {
  steps: Record<'quote' | 'meter-test' | 'conditions' | 'removal', number>;
  wholeRequestWorkingMinutes: number;
  applicantDays: Record<'payment' | 'acceptance' | 'settlement', number>;
  reminderDaysBefore: number[];
  units: Record<'quote' | 'meter-test' | 'conditions' | 'removal', string>;
}
interface Agreement {
  version: number;
  validFrom: string;
  validTo: string;
  validFromJalali: string;
  validToJalali: string;
  approvedBy: string;
  expired: boolean;
  expiresInDays: number;
  targets: Targets;
}

const STEPS = [
  ['quote', 'بررسی و اعلام هزینه'],
  ['meter-test', 'آزمایش کنتور'],
  ['conditions', 'اعلام شرایط'],
  ['removal', 'جمع‌آوری'],
] as const;
const DAYS = [
  ['payment', 'پرداخت'],
  ['acceptance', 'پاسخ به شرایط'],
  ['settlement', 'تسویه نهایی'],
] as const;
const WORKING_DAY_MINUTES = 420;

export function AgreementsTab({ canEdit }: { canEdit: boolean }) {
  const data = useLoad((signal) => api<{ agreements: Agreement[]; inForce: Agreement }>('GET', '/api/v1/admin/sla/agreements', { realm: 'staff', signal }), []);
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const { message } = App.useApp();
  if (data.loading && !data.data) return <PageLoading />;
  if (!data.data) return <ErrorAlert error={data.error} onRetry={data.reload} />;
  const current = data.data.inForce;
  const hours = (m: number) => Math.round((m / 60) * 10) / 10;
  const initial = {
    approvedBy: current.approvedBy,
    steps: Object.fromEntries(STEPS.map(([k]) => [k, hours(current.targets.steps[k])])),
    whole: hours(current.targets.wholeRequestWorkingMinutes),
    applicantDays: current.targets.applicantDays,
    reminderDaysBefore: current.targets.reminderDaysBefore.map(String),
    units: current.targets.units,
  };

  async function publish(v: typeof initial & { validFrom: string; validTo: string }) {
    setError(null);
    const targets: Targets = {
      steps: Object.fromEntries(STEPS.map(([k]) => [k, Math.round(Number(v.steps[k]) * 60)])) as Targets['steps'],
      wholeRequestWorkingMinutes: Math.round(Number(v.whole) * 60),
      applicantDays: v.applicantDays,
      reminderDaysBefore: v.reminderDaysBefore.map(Number).filter((n) => n > 0),
      units: v.units,
    };
    try {
      await api('POST', '/api/v1/admin/sla/agreements', { realm: 'staff', body: { validFrom: v.validFrom, validTo: v.validTo, approvedBy: v.approvedBy, targets } });
      void message.success('نسخه تازه توافقنامه منتشر شد.');
      data.reload();
    } catch (e) {
      if (!applyApiError(form, e)) setError(e);
      else setError(e);
    }
  }

  return (
    <div className="card-stack">
      <Card title={<h2 className="card-title">نسخه‌ها</h2>}>
        <Table
          rowKey="version"
          size="small"
          pagination={false}
          dataSource={data.data.agreements}
          scroll={{ x: 760 }}
          columns={[
            { title: 'نسخه', dataIndex: 'version', key: 'v', render: (n: number) => toPersianDigits(n) },
            { title: 'از', dataIndex: 'validFromJalali', key: 'from' },
            { title: 'تا', dataIndex: 'validToJalali', key: 'to' },
            { title: 'تأییدکننده', dataIndex: 'approvedBy', key: 'by' },
            {
              title: 'اهداف',
              key: 'targets',
              render: (_: unknown, a: Agreement) => (
                <span className="small">
                  {STEPS.map(([k, t]) => `${t}: ${durationFa(a.targets.steps[k], { workingDayMinutes: WORKING_DAY_MINUTES })}`).join('؛ ')}؛ کل: {durationFa(a.targets.wholeRequestWorkingMinutes, { workingDayMinutes: WORKING_DAY_MINUTES })}
                </span>
              ),
            },
            {
              title: 'وضعیت',
              key: 'state',
              render: (_: unknown, a: Agreement) =>
                a.version === current.version ? <Tag color="success">در حال اجرا{a.expiresInDays <= 30 ? ` — ${toPersianDigits(a.expiresInDays)} روز مانده` : ''}</Tag> : a.expired ? <Tag>منقضی</Tag> : <Tag color="blue">آینده</Tag>,
            },
          ]}
        />
      </Card>
      {canEdit ? (
        <Card title={<h2 className="card-title">انتشار نسخه تازه</h2>}>
          <p className="muted">اهداف مراحل شرکت به ساعت کاری است (هر روز کاری {toPersianDigits(WORKING_DAY_MINUTES / 60)} ساعت)؛ مهلت‌های متقاضی به روز تقویمی. درخواست‌های باز با نسخه خودشان ادامه می‌یابند.</p>
          <Form form={form} name="agreement" layout="vertical" initialValues={initial} onFinish={(v) => void publish(v)} requiredMark="optional">
            <div className="two-cols" style={{ maxWidth: 640 }}>
              <Form.Item name="validFrom" label="آغاز اعتبار" rules={[{ required: true, message: 'تاریخ آغاز را انتخاب کنید.' }]}>
                <JalaliInput />
              </Form.Item>
              <Form.Item name="validTo" label="پایان اعتبار" rules={[{ required: true, message: 'تاریخ پایان را انتخاب کنید.' }]}>
                <JalaliInput />
              </Form.Item>
            </div>
            <Form.Item name="approvedBy" label="تأییدکننده" rules={[{ required: true, message: 'تأییدکننده را بنویسید.' }, { min: 3, message: 'کوتاه است.' }]} style={{ maxWidth: 640 }}>
              <Input maxLength={120} />
            </Form.Item>
            <fieldset className="form-section">
              <legend>اهداف مراحل شرکت (ساعت کاری) و واحد مسئول</legend>
              {STEPS.map(([k, t]) => (
                <div className="two-cols" key={k} style={{ maxWidth: 640 }}>
                  <Form.Item name={['steps', k]} label={t} rules={[{ required: true, message: 'مقدار را وارد کنید.' }]}>
                    <InputNumber min={0.5} max={1000} step={0.5} style={{ width: '100%' }} />
                  </Form.Item>
                  <Form.Item name={['units', k]} label={`واحد مسئول ${t}`} rules={[{ required: true, message: 'واحد را بنویسید.' }]}>
                    <Input maxLength={80} />
                  </Form.Item>
                </div>
              ))}
              <Form.Item name="whole" label="کل درخواست (ساعت کاری)" rules={[{ required: true, message: 'مقدار را وارد کنید.' }]} style={{ maxWidth: 300 }}>
                <InputNumber min={1} max={1600} style={{ width: '100%' }} />
              </Form.Item>
            </fieldset>
            <fieldset className="form-section">
              <legend>مهلت‌های متقاضی (روز)</legend>
              <div className="two-cols" style={{ maxWidth: 640 }}>
                {DAYS.map(([k, t]) => (
                  <Form.Item key={k} name={['applicantDays', k]} label={t} rules={[{ required: true, message: 'مقدار را وارد کنید.' }]}>
                    <InputNumber min={1} max={365} style={{ width: '100%' }} />
                  </Form.Item>
                ))}
              </div>
              <Form.Item name="reminderDaysBefore" label="یادآوری چند روز پیش از مهلت" style={{ maxWidth: 420 }}>
                <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '،', ' ']} />
              </Form.Item>
            </fieldset>
            <ErrorAlert error={error} />
            <Button type="primary" htmlType="submit">
              انتشار نسخه
            </Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
