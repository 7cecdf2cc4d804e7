// Public tracking: tracking code + national code (or the national ID of a legal person) → the
// state, the promised date and what the applicant must do next. No sign-in, no personal data.
import { busyIcon } from '../shared/loading.tsx';
import { Alert, Button, Card, Form, Input, Radio, Steps, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { normalizeLegalNationalId, normalizeNationalCode } from '../../../src/platform/identifiers.ts';
// tracking-code.ts imports node:crypto (generation), so the browser checks only the shape.
const normalizeTrackingCode = (s: string) => (/^[1-9]\d{11}$/.test(s) ? s : null);
import { api, type TrackView } from '../shared/api.ts';
import { asciiTrim, toPersianDigits } from '../shared/format.ts';
import { signOut, useSession } from '../shared/session.tsx';
import { Shell } from '../shared/shell.tsx';
import { ErrorAlert, Money, StateTag, TrackingCode } from '../shared/ui.tsx';

interface Values {
  code: string;
  kind: 'natural' | 'legal';
  identity: string;
}

export default function TrackPage() {
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [result, setResult] = useState<TrackView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form) ?? 'natural';
  const citizen = useSession('citizen');

  useEffect(() => {
    const code = params.get('code');
    if (code) form.setFieldValue('code', code);
  }, [params, form]);

  async function track(values: Values) {
    setBusy(true);
    setError(null);
    setResult(null);
    const code = asciiTrim(values.code).replace(/\s/g, '');
    const identity = asciiTrim(values.identity);
    try {
      const query = values.kind === 'legal' ? `nationalId=${encodeURIComponent(identity)}` : `nationalCode=${encodeURIComponent(identity)}`;
      setResult(await api<TrackView>('GET', `/api/v1/track/${encodeURIComponent(code)}?${query}`));
      setParams({ code }, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Shell
      area="پیگیری درخواست"
      nav={[
        { to: '/', label: 'میز خدمت', end: true },
        { to: '/track', label: 'پیگیری درخواست' },
      ]}
      user={citizen ? toPersianDigits(citizen.who) : null}
      onSignOut={() => signOut('citizen')}
    >
      <div className="narrow card-stack">
        <Typography.Title level={1} className="page-title">
          پیگیری درخواست
        </Typography.Title>
        <Card>
          <Form<Values> form={form} layout="vertical" initialValues={{ kind: 'natural' }} onFinish={(v) => void track(v)} requiredMark={false}>
            <Form.Item
              name="code"
              label="کد رهگیری (۱۲ رقم)"
              rules={[
                { required: true, message: 'کد رهگیری را وارد کنید.' },
                { validator: (_, v) => (!v || normalizeTrackingCode(asciiTrim(v).replace(/\s/g, '')) ? Promise.resolve() : Promise.reject(new Error('کد رهگیری معتبر نیست؛ آن را با پیامک مقایسه کنید.'))) },
              ]}
            >
              <Input inputMode="numeric" dir="ltr" className="ltr-input" maxLength={20} autoComplete="off" />
            </Form.Item>
            <Form.Item name="kind" label="متقاضی">
              <Radio.Group options={[{ value: 'natural', label: 'شخص حقیقی' }, { value: 'legal', label: 'شخص حقوقی' }]} />
            </Form.Item>
            <Form.Item
              name="identity"
              label={kind === 'legal' ? 'شناسه ملی (۱۱ رقم)' : 'کد ملی (۱۰ رقم)'}
              rules={[
                { required: true, message: kind === 'legal' ? 'شناسه ملی را وارد کنید.' : 'کد ملی را وارد کنید.' },
                {
                  validator: (_, v) =>
                    !v || (kind === 'legal' ? normalizeLegalNationalId(asciiTrim(v)) : normalizeNationalCode(asciiTrim(v)))
                      ? Promise.resolve()
                      : Promise.reject(new Error(kind === 'legal' ? 'شناسه ملی معتبر نیست.' : 'کد ملی معتبر نیست.')),
                },
              ]}
            >
              <Input inputMode="numeric" dir="ltr" className="ltr-input" maxLength={11} autoComplete="off" />
            </Form.Item>
            <ErrorAlert error={error} />
            <Button type="primary" htmlType="submit" loading={busyIcon(busy)} block size="large">
              پیگیری
            </Button>
          </Form>
        </Card>
        {result ? (
          <Card aria-live="polite" title={<h2 className="card-title">نتیجه پیگیری</h2>}>
            <div className="request-head">
              <div>
                کد رهگیری: <TrackingCode code={result.trackingCode} />
                <div className="muted">ثبت: {result.submittedAtJalali}</div>
              </div>
              <StateTag state={result.state} title={result.stateTitle} />
            </div>
            <Alert type="info" showIcon style={{ margin: '12px 0' }} title="گام بعد" description={result.nextStep} />
            {result.promisedAtJalali ? (
              <p>
                تاریخ وعده‌داده‌شده: <strong>{result.promisedAtJalali}</strong>
              </p>
            ) : null}
            {result.outstandingRials > 0 ? (
              <p>
                مبلغ پرداخت‌نشده: <Money rials={result.outstandingRials} strong />
              </p>
            ) : null}
            <Steps
              orientation="vertical"
              size="small"
              current={result.steps.length - 1}
              items={result.steps.map((s, i) => ({ key: i, title: s.title, content: s.atJalali }))}
            />
            <p>
              برای پرداخت و پاسخ به شرایط: <Link to={`/requests/${result.trackingCode}`}>ورود به صفحه درخواست</Link>
            </p>
          </Card>
        ) : null}
      </div>
    </Shell>
  );
}
