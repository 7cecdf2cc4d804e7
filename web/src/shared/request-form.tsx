// The request form, shared by the citizen portal (channel web) and the Pishkhan desk (channel
// pishkhan): identifiers are checked as they are typed with the same pure rules the API uses,
// and the no-refund rule must be acknowledged before anything is filed (and so paid).
import { busyIcon } from './loading.tsx';
import { Alert, Button, Checkbox, Form, Input, Radio, Space } from 'antd';
import { useMemo, useState } from 'react';
import { normalizeLegalNationalId, normalizeMobile, normalizeNationalCode, parseBillId } from '../../../src/platform/identifiers.ts';
import { api, ApiError, idempotencyKey, type Realm, type RequestView } from './api.ts';
import { asciiTrim, toPersianDigits } from './format.ts';
import { JalaliInput } from './jalali-picker.tsx';
import { applyApiError, ErrorAlert } from './ui.tsx';

const REASONS = ['تخلیه یا فروش ملک', 'بازسازی یا تخریب ساختمان', 'عدم نیاز موقت به برق (سفر طولانی)', 'تعطیلی موقت کسب‌وکار', 'سایر'];

/** Which form field an error without `details.field` is about. */
const FIELD_OF_CODE: Record<string, (string | number)[]> = {
  NOT_OWNER: ['relation'],
  POWER_OF_ATTORNEY_REQUIRED: ['powerOfAttorney', 'number'],
  UNKNOWN_BILL_ID: ['billId'],
  CONNECTION_ALREADY_REMOVED: ['billId'],
  OPEN_REQUEST_EXISTS: ['billId'],
  MOBILE_MISMATCH: ['applicant', 'mobile'],
  CONSENT_MISSING: ['shared'],
};

const check = (valid: (v: string) => boolean, message: string) => ({
  validator: (_: unknown, value: unknown) => (!value || valid(asciiTrim(value)) ? Promise.resolve() : Promise.reject(new Error(message))),
});

interface Values {
  billId: string;
  relation: 'owner' | 'attorney';
  applicant: { personType: 'natural' | 'legal'; nationalCode?: string; firstName?: string; lastName?: string; nationalId?: string; name?: string; mobile: string };
  powerOfAttorney?: { number: string; date: string; notaryOffice?: string };
  shared?: boolean;
  consents?: Array<{ nationalCode: string; name?: string }>;
  reasonKind?: string;
  reasonText?: string;
  noRefund: boolean;
}

export function RequestForm(props: { channel: 'web' | 'pishkhan' | 'counter'; realm: Realm; fixedMobile?: string; onFiled: (view: RequestView) => void; submitLabel?: string }) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => idempotencyKey(), []);
  const personType = Form.useWatch(['applicant', 'personType'], form) ?? 'natural';
  const relation = Form.useWatch('relation', form) ?? 'owner';
  const shared = Form.useWatch('shared', form) ?? false;
  const billId = Form.useWatch('billId', form);
  const parsedBill = billId ? parseBillId(asciiTrim(billId)) : null;

  async function submit(values: Values) {
    setBusy(true);
    setError(null);
    const a = values.applicant;
    const reason = [values.reasonKind, values.reasonText?.trim()].filter(Boolean).join(' — ');
    const body = {
      service: 'temporary-removal',
      channel: props.channel,
      billId: asciiTrim(values.billId),
      relation: values.relation,
      applicant:
        a.personType === 'legal'
          ? { personType: 'legal', nationalId: asciiTrim(a.nationalId), name: a.name?.trim(), mobile: asciiTrim(props.fixedMobile ?? a.mobile) }
          : { personType: 'natural', nationalCode: asciiTrim(a.nationalCode), firstName: a.firstName?.trim(), lastName: a.lastName?.trim(), mobile: asciiTrim(props.fixedMobile ?? a.mobile) },
      ...(reason ? { reason } : {}),
      ...(values.relation === 'attorney' && values.powerOfAttorney
        ? { powerOfAttorney: { number: asciiTrim(values.powerOfAttorney.number), date: values.powerOfAttorney.date, ...(values.powerOfAttorney.notaryOffice ? { notaryOffice: values.powerOfAttorney.notaryOffice.trim() } : {}) } }
        : {}),
      ...(values.shared && values.consents?.length ? { consents: values.consents.map((c) => ({ nationalCode: asciiTrim(c.nationalCode), ...(c.name?.trim() ? { name: c.name.trim() } : {}) })) } : {}),
    };
    try {
      const view = await api<RequestView>('POST', '/api/v1/requests', { realm: props.realm, body, headers: { 'idempotency-key': key } });
      props.onFiled(view);
    } catch (e) {
      setError(e);
      if (!applyApiError(form, e) && e instanceof ApiError && FIELD_OF_CODE[e.code]) {
        form.setFields([{ name: FIELD_OF_CODE[e.code]! as never, errors: [e.message] }]);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark="optional"
      initialValues={{ relation: 'owner', applicant: { personType: 'natural', mobile: props.fixedMobile ?? '' }, shared: false, noRefund: false }}
      onFinish={(v) => void submit(v)}
      scrollToFirstError={{ block: 'center' }}
      className="request-form"
    >
      <fieldset className="form-section">
        <legend>انشعاب</legend>
        <Form.Item
          name="billId"
          label="شناسه قبض برق"
          extra={parsedBill ? `شناسه قبض معتبر است (شماره پرونده ${toPersianDigits(parsedBill.fileNumber)}).` : 'شناسه قبض روی قبض برق چاپ شده است؛ ارقام فارسی یا لاتین پذیرفته می‌شود.'}
          rules={[{ required: true, message: 'شناسه قبض را وارد کنید.' }, check((v) => parseBillId(v) !== null, 'شناسه قبض معتبر نیست؛ ارقام را دوباره با قبض مقایسه کنید.')]}
          hasFeedback
        >
          <Input inputMode="numeric" autoComplete="off" maxLength={20} dir="ltr" className="ltr-input" />
        </Form.Item>
      </fieldset>

      <fieldset className="form-section">
        <legend>متقاضی</legend>
        <Form.Item name={['applicant', 'personType']} label="نوع شخص">
          <Radio.Group optionType="button" buttonStyle="solid" options={[{ value: 'natural', label: 'شخص حقیقی' }, { value: 'legal', label: 'شخص حقوقی' }]} />
        </Form.Item>
        {personType === 'legal' ? (
          <>
            <Form.Item name={['applicant', 'name']} label="نام شخص حقوقی" rules={[{ required: true, message: 'نام شرکت یا سازمان را وارد کنید.' }, { min: 2, message: 'نام دست‌کم دو حرف است.' }]}>
              <Input autoComplete="organization" maxLength={80} />
            </Form.Item>
            <Form.Item
              name={['applicant', 'nationalId']}
              label="شناسه ملی (۱۱ رقم)"
              rules={[{ required: true, message: 'شناسه ملی را وارد کنید.' }, check((v) => normalizeLegalNationalId(v) !== null, 'شناسه ملی معتبر نیست.')]}
              hasFeedback
            >
              <Input inputMode="numeric" maxLength={11} dir="ltr" className="ltr-input" />
            </Form.Item>
          </>
        ) : (
          <>
            <div className="two-cols">
              <Form.Item name={['applicant', 'firstName']} label="نام" rules={[{ required: true, message: 'نام را وارد کنید.' }, { min: 2, message: 'نام دست‌کم دو حرف است.' }]}>
                <Input autoComplete="given-name" maxLength={80} />
              </Form.Item>
              <Form.Item name={['applicant', 'lastName']} label="نام خانوادگی" rules={[{ required: true, message: 'نام خانوادگی را وارد کنید.' }, { min: 2, message: 'نام خانوادگی دست‌کم دو حرف است.' }]}>
                <Input autoComplete="family-name" maxLength={80} />
              </Form.Item>
            </div>
            <Form.Item
              name={['applicant', 'nationalCode']}
              label="کد ملی (۱۰ رقم)"
              rules={[{ required: true, message: 'کد ملی را وارد کنید.' }, check((v) => normalizeNationalCode(v) !== null, 'کد ملی معتبر نیست.')]}
              hasFeedback
            >
              <Input inputMode="numeric" maxLength={10} dir="ltr" className="ltr-input" />
            </Form.Item>
          </>
        )}
        <Form.Item
          name={['applicant', 'mobile']}
          label="شماره همراه"
          extra={props.fixedMobile ? 'شماره‌ای که با آن وارد شده‌اید؛ پیامک‌های درخواست به این شماره می‌رسد.' : 'کد رهگیری و مراحل درخواست به این شماره پیامک می‌شود.'}
          rules={[{ required: true, message: 'شماره همراه را وارد کنید.' }, check((v) => normalizeMobile(v) !== null, 'شماره همراه باید مانند ۰۹۱۲۱۲۳۴۵۶۷ باشد.')]}
        >
          <Input inputMode="tel" autoComplete="tel" maxLength={14} dir="ltr" className="ltr-input" disabled={Boolean(props.fixedMobile)} />
        </Form.Item>
        <Form.Item name="relation" label="نسبت متقاضی با انشعاب">
          <Radio.Group options={[{ value: 'owner', label: 'مالک انشعاب' }, { value: 'attorney', label: 'وکیل مالک (با وکالت‌نامه رسمی)' }]} />
        </Form.Item>
        {relation === 'attorney' ? (
          <div className="sub-section">
            <div className="two-cols">
              <Form.Item name={['powerOfAttorney', 'number']} label="شماره وکالت‌نامه" rules={[{ required: true, message: 'شماره وکالت‌نامه را وارد کنید.' }]}>
                <Input maxLength={40} dir="ltr" className="ltr-input" />
              </Form.Item>
              <Form.Item name={['powerOfAttorney', 'date']} label="تاریخ وکالت‌نامه" rules={[{ required: true, message: 'تاریخ وکالت‌نامه را انتخاب کنید.' }]}>
                <JalaliInput />
              </Form.Item>
            </div>
            <Form.Item name={['powerOfAttorney', 'notaryOffice']} label="دفترخانه اسناد رسمی">
              <Input maxLength={80} />
            </Form.Item>
            <Alert type="info" showIcon title="اصل وکالت‌نامه را هنگام آزمایش کنتور به کارشناس نشان دهید." />
          </div>
        ) : null}
        <Form.Item name="shared" valuePropName="checked">
          <Checkbox>این انشعاب میان چند بهره‌بردار مشترک است</Checkbox>
        </Form.Item>
        {shared ? (
          <Form.List name="consents" initialValue={[{ nationalCode: '', name: '' }]}>
            {(fields, { add, remove }) => (
              <div className="sub-section">
                <p className="muted">کد ملی همه بهره‌برداری را که با جمع‌آوری موافق‌اند وارد کنید.</p>
                {fields.map((field, i) => (
                  <Space key={field.key} align="start" wrap className="consent-row">
                    <Form.Item name={[field.name, 'nationalCode']} label={`کد ملی بهره‌بردار ${toPersianDigits(i + 1)}`} rules={[{ required: true, message: 'کد ملی را وارد کنید.' }, check((v) => normalizeNationalCode(v) !== null, 'کد ملی معتبر نیست.')]}>
                      <Input inputMode="numeric" maxLength={10} dir="ltr" className="ltr-input" />
                    </Form.Item>
                    <Form.Item name={[field.name, 'name']} label="نام و نام خانوادگی">
                      <Input maxLength={80} />
                    </Form.Item>
                    {fields.length > 1 ? <Button onClick={() => remove(field.name)} aria-label={`حذف بهره‌بردار ${toPersianDigits(i + 1)}`}>حذف</Button> : null}
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({ nationalCode: '', name: '' })}>افزودن بهره‌بردار</Button>
              </div>
            )}
          </Form.List>
        ) : null}
      </fieldset>

      <fieldset className="form-section">
        <legend>علت درخواست</legend>
        <Form.Item name="reasonKind" label="علت">
          <Radio.Group className="vertical-radios" options={REASONS.map((r) => ({ value: r, label: r }))} />
        </Form.Item>
        <Form.Item name="reasonText" label="توضیح (اختیاری)">
          <Input.TextArea rows={2} maxLength={400} showCount />
        </Form.Item>
      </fieldset>

      <Alert
        type="warning"
        showIcon
        className="block-gap"
        title="پیش از ثبت بدانید: هزینه‌های پرداخت‌شده بازگردانده نمی‌شود"
        description="پس از بررسی، هزینه جمع‌آوری، هزینه آزمایش کنتور و بدهی مصرفی اعلام می‌شود. اگر پس از پرداخت از درخواست انصراف دهید یا شرایط فنی و مالی را نپذیرید، وجوه پرداخت‌شده بازگردانده نمی‌شود (بند ۴ توافقنامه سطح خدمت)."
      />
      <Form.Item
        name="noRefund"
        valuePropName="checked"
        rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('برای ثبت درخواست، این شرط را بپذیرید.'))) }]}
      >
        <Checkbox>قاعده بازنگشتن وجوه پرداخت‌شده را خواندم و می‌پذیرم.</Checkbox>
      </Form.Item>
      <ErrorAlert error={error} />
      <Button type="primary" htmlType="submit" size="large" loading={busyIcon(busy)} block>
        {props.submitLabel ?? 'ثبت درخواست'}
      </Button>
    </Form>
  );
}
