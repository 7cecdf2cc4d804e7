// Each lifecycle action as a form with the fields it needs; an action the signed-in roles or the
// request's state do not allow is shown disabled, with the reason in Persian.
import { busyIcon } from '../shared/loading.tsx';
import { Alert, App, Button, Card, Checkbox, Form, Input, Radio, Select, Space } from 'antd';
import { useState, type ReactNode } from 'react';
import { api, type RequestView } from '../shared/api.ts';
import { asciiTrim } from '../shared/format.ts';
import { JalaliInput, tehranToIso } from '../shared/jalali-picker.tsx';
import { DAMAGE_TITLES, METER_RESULT_TITLES, PRECONDITION_FA, ROLE_TITLES_FA, STATE_INFO, TRANSITIONS, type RequestAction, type RequestState } from '../shared/labels.ts';
import { toJalaliDateString } from '../shared/format.ts';
import { applyApiError, ErrorAlert } from '../shared/ui.tsx';

type Values = Record<string, unknown>;

const DAMAGE_OPTIONS = Object.entries(DAMAGE_TITLES).map(([value, label]) => ({ value, label }));
const NO_REFUND = 'وجوه پرداخت‌شده بازگردانده نمی‌شود (بند ۴ توافقنامه سطح خدمت).';
const roleList = (roles: readonly string[]) => roles.filter((r) => r !== 'system').map((r) => ROLE_TITLES_FA[r as keyof typeof ROLE_TITLES_FA] ?? r).join('، ');

/** Actions shown in the panel, in lifecycle order. */
export const PANEL_ACTIONS: RequestAction[] = ['quote', 'confirm-payment', 'record-meter-test', 'announce-conditions', 'accept-conditions', 'refuse-conditions', 'schedule-removal', 'record-removal', 'settle', 'reject', 'withdraw', 'archive'];

/** Why the signed-in roles cannot take `action` on `view` now, or null when they can. */
export function disabledReason(action: RequestAction, view: RequestView, roles: string[]): string | null {
  const rule = TRANSITIONS[action];
  if (!rule.roles.some((r) => roles.includes(r))) return `این اقدام با ${roleList(rule.roles)} است؛ نقش شما: ${roleList(roles)}.`;
  if (!(rule.from as readonly string[]).includes(view.state)) {
    return `در وضعیت «${STATE_INFO[view.state as RequestState].titleFa}» ممکن نیست؛ فقط در ${rule.from.map((s) => `«${STATE_INFO[s].titleFa}»`).join('، ')}.`;
  }
  if (action === 'announce-conditions' && !view.meterTest) return PRECONDITION_FA['meter-test-missing'];
  if (action === 'confirm-payment' && view.amountsDue.some((a) => a.stage === 'quote' && !a.paid)) return PRECONDITION_FA['quote-unpaid'];
  if (action === 'settle' && view.amountsDue.some((a) => a.stage === 'settlement' && !a.paid)) return PRECONDITION_FA['settlement-unpaid'];
  return null;
}

const numberRule = (label: string) => ({
  validator: (_: unknown, v: unknown) => (v === undefined || v === '' || /^\d{1,9}$/.test(asciiTrim(v)) ? Promise.resolve() : Promise.reject(new Error(`${label} باید عدد صحیح باشد.`))),
});

function SealsField() {
  return (
    <Form.Item name="seals" label="شماره پلمب‌ها" extra="هر شماره را بنویسید و Enter بزنید.">
      <Select mode="tags" tokenSeparators={[',', '،', ' ']} open={false} suffixIcon={null} placeholder="مثلاً ۱۲۳۴۵۶" />
    </Form.Item>
  );
}

function DamagedItemsField({ label = 'لوازم آسیب‌دیده' }: { label?: string }) {
  return (
    <Form.Item name="damagedItems" label={label}>
      <Checkbox.Group options={DAMAGE_OPTIONS} />
    </Form.Item>
  );
}

function NotesField({ name = 'notes', label = 'توضیح' }: { name?: string; label?: string }) {
  return (
    <Form.Item name={name} label={label}>
      <Input.TextArea rows={2} maxLength={500} />
    </Form.Item>
  );
}

function nextWorkingMorning(daysAhead: number, hour: number): string {
  const d = new Date(Date.now() + daysAhead * 86_400_000);
  // Thursday and Friday are not working days in Iran.
  while ([4, 5].includes(new Date(d.getTime() + 3.5 * 3_600_000).getUTCDay())) d.setTime(d.getTime() + 86_400_000);
  return tehranToIso(toJalaliDateString(d), hour, 0)!;
}

function ScheduleFields() {
  const form = Form.useFormInstance();
  return (
    <>
      <Form.Item name="scheduledFor" label="زمان مراجعه اکیپ" rules={[{ required: true, message: 'روز و ساعت مراجعه را انتخاب کنید.' }]}>
        <JalaliInput withTime minDate={new Date()} />
      </Form.Item>
      <Space wrap className="block-gap">
        <Button size="small" onClick={() => form.setFieldValue('scheduledFor', nextWorkingMorning(1, 9))}>
          نخستین روز کاری بعد، ساعت ۹
        </Button>
        <Button size="small" onClick={() => form.setFieldValue('scheduledFor', nextWorkingMorning(2, 10))}>
          روز کاری پس از آن، ساعت ۱۰
        </Button>
      </Space>
      <Form.Item name="crew" label="اکیپ">
        <Input maxLength={80} placeholder="مثلاً اکیپ ۲ ناحیه مرکزی" />
      </Form.Item>
      <NotesField />
    </>
  );
}

function MeterTestFields() {
  const result = Form.useWatch('result');
  return (
    <>
      <Form.Item name="result" label="نتیجه آزمایش" rules={[{ required: true, message: 'نتیجه آزمایش را انتخاب کنید.' }]}>
        <Radio.Group options={Object.entries(METER_RESULT_TITLES).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="reading" label="شماره کنتور هنگام آزمایش" rules={[{ required: true, message: 'شماره کنتور را وارد کنید.' }, numberRule('شماره کنتور')]}>
        <Input inputMode="numeric" dir="ltr" className="ltr-input" maxLength={9} />
      </Form.Item>
      <SealsField />
      {result && result !== 'ok' ? <DamagedItemsField /> : null}
      <NotesField />
    </>
  );
}

function RemovalFields() {
  const condition = Form.useWatch('equipmentCondition');
  return (
    <>
      <Form.Item name="finalReading" label="شماره نهایی کنتور" rules={[{ required: true, message: 'شماره نهایی کنتور را وارد کنید.' }, numberRule('شماره نهایی')]}>
        <Input inputMode="numeric" dir="ltr" className="ltr-input" maxLength={9} />
      </Form.Item>
      <Form.Item name="equipmentCondition" label="وضعیت لوازم اندازه‌گیری" rules={[{ required: true, message: 'وضعیت لوازم را انتخاب کنید.' }]}>
        <Radio.Group options={[{ value: 'intact', label: 'سالم' }, { value: 'damaged', label: 'آسیب‌دیده' }]} />
      </Form.Item>
      {condition === 'damaged' ? <DamagedItemsField label="لوازم آسیب‌دیده (خسارت طبق تعرفه)" /> : null}
      <SealsField />
      <Form.Item name="meterDestination" label="محل تحویل کنتور">
        <Input maxLength={80} />
      </Form.Item>
      <NotesField />
    </>
  );
}

interface ActionSpec {
  button: string;
  intro?: string;
  danger?: boolean;
  confirm?: string;
  fields?: ReactNode;
  initial?: Values;
  toBody?: (v: Values) => Values;
}

const SPECS: Record<RequestAction, ActionSpec> = {
  quote: { button: 'اعلام هزینه', intro: 'هزینه‌ها از تعرفه در حال اجرا و بدهی سامانه مشترکین محاسبه و برای متقاضی پیامک می‌شود.' },
  'confirm-payment': { button: 'تأیید پرداخت', intro: 'فقط وقتی همه مبالغ پرداخت شده‌اند؛ پرداخت اینترنتی خودکار تأیید می‌شود.' },
  'record-meter-test': {
    button: 'ثبت نتیجه آزمایش',
    fields: <MeterTestFields />,
    initial: { result: 'ok', seals: [], damagedItems: [] },
    toBody: (v) => ({ result: v.result, reading: Number(asciiTrim(v.reading)), seals: ((v.seals as string[]) ?? []).map(asciiTrim), damagedItems: v.result === 'ok' ? [] : (v.damagedItems ?? []), ...(v.notes ? { notes: v.notes } : {}) }),
  },
  'announce-conditions': { button: 'اعلام شرایط به متقاضی', intro: 'شرایط فنی و مالی از نتیجه آزمایش ساخته و پیامک می‌شود.', fields: <NotesField label="توضیح برای متقاضی" /> },
  'accept-conditions': { button: 'ثبت پذیرش شرایط', intro: 'به درخواست متقاضی حاضر در محل (حضوری).' },
  'refuse-conditions': { button: 'ثبت نپذیرفتن شرایط', danger: true, intro: `درخواست بایگانی می‌شود. ${NO_REFUND}`, confirm: 'درخواست بایگانی شود؟', fields: <NotesField name="reason" label="علت" /> },
  'schedule-removal': {
    button: 'ثبت زمان جمع‌آوری',
    fields: <ScheduleFields />,
    toBody: (v) => ({ scheduledFor: v.scheduledFor, ...(v.crew ? { crew: v.crew } : {}), ...(v.notes ? { notes: v.notes } : {}) }),
  },
  'record-removal': {
    button: 'ثبت جمع‌آوری انشعاب',
    fields: <RemovalFields />,
    initial: { equipmentCondition: 'intact', meterDestination: 'انبار شرکت', seals: [], damagedItems: [] },
    toBody: (v) => ({
      finalReading: Number(asciiTrim(v.finalReading)),
      equipmentCondition: v.equipmentCondition,
      damagedItems: v.equipmentCondition === 'damaged' ? (v.damagedItems ?? []) : [],
      seals: ((v.seals as string[]) ?? []).map(asciiTrim),
      ...(v.meterDestination ? { meterDestination: v.meterDestination } : {}),
      ...(v.notes ? { notes: v.notes } : {}),
    }),
  },
  settle: { button: 'ثبت تسویه', intro: 'فقط وقتی صورتحساب نهایی پرداخت شده است.' },
  reject: {
    button: 'رد درخواست',
    danger: true,
    confirm: 'درخواست رد شود؟ علت برای متقاضی پیامک می‌شود.',
    fields: (
      <Form.Item name="reason" label="علت رد" rules={[{ required: true, message: 'علت رد را بنویسید.' }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    ),
  },
  withdraw: { button: 'ثبت انصراف متقاضی', danger: true, intro: `به درخواست متقاضی. ${NO_REFUND}`, confirm: 'انصراف ثبت شود؟', fields: <NotesField name="reason" label="علت انصراف" /> },
  archive: {
    button: 'بایگانی',
    danger: true,
    confirm: 'درخواست بایگانی شود؟',
    fields: (
      <Form.Item name="reason" label="علت بایگانی" rules={[{ required: true, message: 'علت بایگانی را بنویسید.' }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    ),
  },
};

export function ActionForm({ action, view, roles, onDone }: { action: RequestAction; view: RequestView; roles: string[]; onDone: (v: RequestView) => void }) {
  const spec = SPECS[action];
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { modal, message } = App.useApp();
  const reason = disabledReason(action, view, roles);
  const title = TRANSITIONS[action].titleFa;

  async function run(values: Values) {
    setBusy(true);
    setError(null);
    const payload = spec.toBody ? spec.toBody(values) : Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
    try {
      const next = await api<RequestView>('POST', `/api/v1/requests/${view.trackingCode}/actions`, { realm: 'staff', body: { action, ...payload } });
      void message.success(`«${title}» ثبت شد.`);
      form.resetFields();
      onDone(next);
    } catch (e) {
      applyApiError(form, e);
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const submit = (values: Values) => {
    if (spec.confirm) {
      modal.confirm({ title: spec.confirm, okText: spec.button, cancelText: 'بازگشت', okButtonProps: { danger: Boolean(spec.danger) }, onOk: () => run(values) });
    } else void run(values);
  };

  return (
    <Card size="small" className="action-card" title={<h3 className="card-title">{title}</h3>} aria-disabled={reason ? true : undefined}>
      {reason ? (
        <p className="disabled-reason" role="note">
          {reason}
        </p>
      ) : spec.intro ? (
        <p className="muted">{spec.intro}</p>
      ) : null}
      <Form form={form} layout="vertical" disabled={Boolean(reason) || busy} initialValues={spec.initial} onFinish={submit} requiredMark="optional" name={`action-${action}`}>
        {spec.fields}
        <ErrorAlert error={error} />
        <Button type={spec.danger ? 'default' : 'primary'} danger={Boolean(spec.danger)} htmlType="submit" loading={busyIcon(busy)} disabled={Boolean(reason)} title={reason ?? undefined}>
          {spec.button}
        </Button>
      </Form>
    </Card>
  );
}

/** The actions of the current state (enabled or not, with why), then the signed-in roles' actions of other states. */
export function ActionsPanel({ view, roles, onDone }: { view: RequestView; roles: string[]; onDone: (v: RequestView) => void }) {
  const here = PANEL_ACTIONS.filter((a) => (TRANSITIONS[a].from as readonly string[]).includes(view.state) && !(TRANSITIONS[a].roles as readonly string[]).every((r) => r === 'system'));
  const mine = PANEL_ACTIONS.filter((a) => !here.includes(a) && TRANSITIONS[a].roles.some((r) => roles.includes(r)));
  const readOnly = roles.every((r) => r === 'auditor');
  return (
    <section aria-labelledby="actions-title" className="card-stack">
      <h2 id="actions-title" className="card-title">
        اقدام‌ها
      </h2>
      {readOnly ? <Alert type="info" showIcon title="نقش حسابرس فقط خواندنی است." /> : null}
      {here.length === 0 ? <p className="muted">در این وضعیت اقدامی باقی نمانده است.</p> : null}
      {here.map((a) => (
        <ActionForm key={`${a}-${view.updatedAt}`} action={a} view={view} roles={roles} onDone={onDone} />
      ))}
      {mine.length ? (
        <details className="other-actions">
          <summary>اقدام‌های نقش شما در وضعیت‌های دیگر ({mine.length.toLocaleString('fa-IR')})</summary>
          <div className="card-stack" style={{ marginTop: 8 }}>
            {mine.map((a) => (
              <ActionForm key={a} action={a} view={view} roles={roles} onDone={onDone} />
            ))}
          </div>
        </details>
      ) : null}
    </section>
  );
}
