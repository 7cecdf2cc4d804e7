// Sessions in the browser: the applicant signs in with a one-time SMS code, staff and Pishkhan
// operators with a username and password. Both keep a bearer token (API.md allows either).
import { busyIcon } from './loading.tsx';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { normalizeMobile } from '../../../src/platform/identifiers.ts';
import { api, getSession, setSession, type Realm, type Session } from './api.ts';
import { asciiTrim, toPersianDigits } from './format.ts';
import { applyApiError, ErrorAlert } from './ui.tsx';

/** The current session of a realm, kept in step with sign-in and sign-out anywhere in the page. */
export function useSession(realm: Realm): Session | null {
  const [session, set] = useState(() => getSession(realm));
  useEffect(() => {
    const update = () => set(getSession(realm));
    window.addEventListener('barq-session', update);
    window.addEventListener('storage', update);
    return () => {
      window.removeEventListener('barq-session', update);
      window.removeEventListener('storage', update);
    };
  }, [realm]);
  return session;
}

export function signOut(realm: Realm): void {
  const session = getSession(realm);
  if (session) void api('POST', '/api/v1/auth/logout', { realm }).catch(() => undefined);
  setSession(realm, null);
}

/** Applicant sign-in with a one-time code sent by SMS (two steps on one card). */
export function OtpSignIn({ title = 'ورود با شماره همراه', intro }: { title?: string; intro?: string }) {
  const [mobile, setMobile] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [mobileForm] = Form.useForm<{ mobile: string }>();
  const [codeForm] = Form.useForm<{ code: string }>();

  async function send(values: { mobile: string }) {
    setBusy(true);
    setError(null);
    const normalized = normalizeMobile(asciiTrim(values.mobile)) ?? asciiTrim(values.mobile);
    try {
      await api('POST', '/api/v1/auth/otp', { body: { mobile: normalized } });
      setMobile(normalized);
    } catch (e) {
      if (!applyApiError(mobileForm, e)) setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function verify(values: { code: string }) {
    if (!mobile) return;
    setBusy(true);
    setError(null);
    try {
      const { token } = await api<{ token: string }>('POST', '/api/v1/auth/otp/verify', { body: { mobile, code: asciiTrim(values.code) } });
      setSession('citizen', { token, who: mobile, roles: ['applicant'] });
    } catch (e) {
      codeForm.setFields([{ name: 'code', errors: [e instanceof Error ? e.message : 'کد درست نیست.'] }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={<h2 className="card-title">{title}</h2>}>
      {intro ? <p className="muted">{intro}</p> : null}
      {mobile === null ? (
        <Form form={mobileForm} layout="vertical" onFinish={(v) => void send(v)} requiredMark={false}>
          <Form.Item
            name="mobile"
            label="شماره همراه"
            rules={[
              { required: true, message: 'شماره همراه را وارد کنید.' },
              { validator: (_, v) => (!v || normalizeMobile(asciiTrim(v)) ? Promise.resolve() : Promise.reject(new Error('شماره همراه باید مانند ۰۹۱۲۱۲۳۴۵۶۷ باشد.'))) },
            ]}
          >
            <Input inputMode="tel" autoComplete="tel" dir="ltr" className="ltr-input" maxLength={14} placeholder="۰۹۱۲۱۲۳۴۵۶۷" />
          </Form.Item>
          <ErrorAlert error={error} />
          <Button type="primary" htmlType="submit" loading={busyIcon(busy)} block>
            دریافت کد ورود
          </Button>
        </Form>
      ) : (
        <Form form={codeForm} layout="vertical" onFinish={(v) => void verify(v)} requiredMark={false}>
          <Alert type="success" showIcon className="block-gap" title={`کد ورود به شماره ${toPersianDigits(mobile)} پیامک شد؛ تا ۲ دقیقه معتبر است.`} />
          <Form.Item name="code" label="کد ورود (۶ رقم)" rules={[{ required: true, message: 'کد پیامک‌شده را وارد کنید.' }]}>
            <Input inputMode="numeric" autoComplete="one-time-code" dir="ltr" className="ltr-input" maxLength={6} autoFocus />
          </Form.Item>
          <ErrorAlert error={error} />
          <div className="hero-actions">
            <Button type="primary" htmlType="submit" loading={busyIcon(busy)}>
              ورود
            </Button>
            <Button onClick={() => setMobile(null)}>تغییر شماره</Button>
          </div>
        </Form>
      )}
    </Card>
  );
}

interface LoginAnswer {
  token: string;
  roles: string[];
  displayName: string;
  officeCode: string | null;
}

/** Staff and Pishkhan operators: username and password; `allowed` roles may use this area. */
export function StaffSignIn({ area, allowed, hint }: { area: string; allowed: readonly string[]; hint?: string }) {
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const current = useSession('staff');
  const wrongRole = current && !current.roles.some((r) => allowed.includes(r));

  async function login(values: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const answer = await api<LoginAnswer>('POST', '/api/v1/auth/login', { body: { username: values.username.trim(), password: values.password } });
      setSession('staff', { token: answer.token, who: values.username.trim(), displayName: answer.displayName, roles: answer.roles, officeCode: answer.officeCode });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-wrap">
      <Card title={<h1 className="card-title">ورود به {area}</h1>} className="login-card">
        {wrongRole ? (
          <Alert
            type="warning"
            showIcon
            className="block-gap"
            title={`حساب «${current.displayName ?? current.who}» به این بخش دسترسی ندارد.`}
            description="با حساب دیگری وارد شوید."
          />
        ) : null}
        {hint ? <Typography.Paragraph className="muted">{hint}</Typography.Paragraph> : null}
        <Form form={form} layout="vertical" onFinish={(v) => void login(v)} requiredMark={false}>
          <Form.Item name="username" label="نام کاربری" rules={[{ required: true, message: 'نام کاربری را وارد کنید.' }]}>
            <Input autoComplete="username" dir="ltr" className="ltr-input" />
          </Form.Item>
          <Form.Item name="password" label="گذرواژه" rules={[{ required: true, message: 'گذرواژه را وارد کنید.' }]}>
            <Input.Password autoComplete="current-password" dir="ltr" className="ltr-input" />
          </Form.Item>
          <ErrorAlert error={error} />
          <Button type="primary" htmlType="submit" loading={busyIcon(busy)} block>
            ورود
          </Button>
        </Form>
      </Card>
    </div>
  );
}
