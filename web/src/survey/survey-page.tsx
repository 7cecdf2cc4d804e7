// The satisfaction survey behind the SMS link (issue 7): public, no sign-in beyond the link's
// token. The overall score, a score per step the request lived through, tags and a comment;
// answered once. States for a link that is invalid, already answered or past its deadline.
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Result, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { CitizenShell } from '../citizen/citizen-shell.tsx';
import { api, ApiError } from '../shared/api.ts';
import { groupedCode, toPersianDigits } from '../shared/format.ts';
import { busyIcon } from '../shared/loading.tsx';
import { applyApiError, ErrorAlert, PageLoading, useLoad } from '../shared/ui.tsx';

interface Survey {
  trackingCode: string;
  outcome: string;
  outcomeLabel: string;
  title: string;
  answered: boolean;
  expired: boolean;
  expiresAt: string;
  expiresAtJalali: string;
  questions: {
    overall: { label: string; min: number; max: number; scale: Record<string, string> };
    steps: Array<{ key: string; label: string; title: string; min: number; max: number }>;
    comment: { label: string; maxLength: number };
    tags: { label: string; options: Array<{ key: string; label: string }> };
  };
}

interface Values {
  overall?: number;
  steps?: Record<string, number | undefined>;
  comment?: string;
  tags?: string[];
}

const DEFAULT_SCALE: Record<string, string> = { 1: 'خیلی بد', 2: 'بد', 3: 'متوسط', 4: 'خوب', 5: 'عالی' };

function ScoreQuestion({ name, legend, scale, required }: { name: (string | number)[]; legend: string; scale: Record<string, string>; required?: boolean }) {
  return (
    <fieldset className="form-section score-question">
      <legend>{legend}</legend>
      <Form.Item name={name} rules={required ? [{ required: true, message: 'لطفاً یک امتیاز از ۱ تا ۵ انتخاب کنید.' }] : []}>
        <Radio.Group
          optionType="button"
          className="score-scale"
          options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: `${toPersianDigits(n)} — ${scale[n] ?? ''}` }))}
        />
      </Form.Item>
    </fieldset>
  );
}

function Frame({ children }: { children: React.ReactNode }) {
  return (
    <CitizenShell>
      <div className="narrow card-stack">{children}</div>
    </CitizenShell>
  );
}

export default function SurveyPage() {
  const { token = '' } = useParams();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [closed, setClosed] = useState<'answered' | 'expired' | null>(null);
  const survey = useLoad((signal) => api<Survey>('GET', `/api/v1/surveys/${encodeURIComponent(token)}`, { signal }), [token]);

  async function submit(values: Values) {
    setBusy(true);
    setError(null);
    const steps = Object.fromEntries(Object.entries(values.steps ?? {}).filter(([, v]) => typeof v === 'number'));
    try {
      const answer = await api<{ message: string }>('POST', `/api/v1/surveys/${encodeURIComponent(token)}`, {
        body: { overall: values.overall, ...(Object.keys(steps).length ? { steps } : {}), ...(values.comment?.trim() ? { comment: values.comment.trim() } : {}), ...(values.tags?.length ? { tags: values.tags } : {}) },
      });
      setDone(answer?.message ?? 'پاسخ شما ثبت شد. سپاسگزاریم.');
      window.scrollTo({ top: 0 });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setClosed('answered');
      else if (e instanceof ApiError && e.status === 410) setClosed('expired');
      else if (!applyApiError(form, e)) setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (survey.loading && !survey.data) {
    return (
      <Frame>
        <PageLoading label="در حال بارگذاری نظرسنجی…" />
      </Frame>
    );
  }
  if (survey.error) {
    const invalid = survey.error instanceof ApiError && (survey.error.status === 404 || survey.error.status === 400);
    return (
      <Frame>
        {invalid ? (
          <Result
            status="warning"
            title={<h1 className="result-title">این پیوند نظرسنجی معتبر نیست</h1>}
            subTitle="پیوند را کامل و همان‌گونه که در پیامک آمده است باز کنید. اگر درخواستتان هنوز در جریان است، وضعیت آن را پیگیری کنید."
            extra={<Link to="/track">پیگیری درخواست</Link>}
          />
        ) : (
          <ErrorAlert error={survey.error} onRetry={survey.reload} title="نظرسنجی بارگذاری نشد" />
        )}
      </Frame>
    );
  }
  const s = survey.data!;
  const state = done ? 'done' : closed ?? (s.answered ? 'answered' : s.expired ? 'expired' : 'open');
  const scale = s.questions.overall.scale ?? DEFAULT_SCALE;

  return (
    <Frame>
      <Typography.Title level={1} className="page-title">
        {s.title}
      </Typography.Title>
      <p className="muted">
        درخواست با کد رهگیری <bdi className="tracking-code" dir="ltr">{groupedCode(s.trackingCode)}</bdi> — {s.outcomeLabel}
      </p>
      {state === 'done' ? (
        <Result status="success" title={<h2 className="result-title">پاسخ شما ثبت شد</h2>} subTitle={done} />
      ) : state === 'answered' ? (
        <Result status="info" title={<h2 className="result-title">به این نظرسنجی پیش‌تر پاسخ داده‌اید</h2>} subTitle="برای هر درخواست یک پاسخ ثبت می‌شود. از همراهی شما سپاسگزاریم." />
      ) : state === 'expired' ? (
        <Result status="warning" title={<h2 className="result-title">مهلت پاسخ به این نظرسنجی تمام شده است</h2>} subTitle={`این نظرسنجی تا ${s.expiresAtJalali} باز بود.`} />
      ) : (
        <Card>
          <p className="muted">پاسخ شما بی‌نام در بازنگری توافقنامه سطح خدمت به کار می‌رود. این نظرسنجی تا {s.expiresAtJalali} باز است و فقط یک بار می‌توان پاسخ داد.</p>
          <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} scrollToFirstError={{ block: 'center' }}>
            <ScoreQuestion name={['overall']} legend={s.questions.overall.label} scale={scale} required />
            {s.questions.steps.length ? (
              <div className="sub-section">
                <p className="field-label">امتیاز هر مرحله (اختیاری)</p>
                {s.questions.steps.map((q) => (
                  <ScoreQuestion key={q.key} name={['steps', q.key]} legend={q.label} scale={scale} />
                ))}
              </div>
            ) : null}
            <fieldset className="form-section">
              <legend>{s.questions.tags.label}</legend>
              <Form.Item name="tags">
                <Checkbox.Group className="tag-options" options={s.questions.tags.options.map((t) => ({ value: t.key, label: t.label }))} />
              </Form.Item>
            </fieldset>
            <Form.Item name="comment" label={s.questions.comment.label}>
              <Input.TextArea rows={4} maxLength={s.questions.comment.maxLength} showCount={{ formatter: ({ count, maxLength }) => `${toPersianDigits(count)} از ${toPersianDigits(maxLength ?? 0)}` }} />
            </Form.Item>
            <ErrorAlert error={error} />
            <Alert type="info" showIcon className="block-gap" title="پس از ثبت، پاسخ قابل ویرایش نیست." />
            <Button type="primary" htmlType="submit" size="large" loading={busyIcon(busy)} disabled={busy}>
              ثبت پاسخ
            </Button>
          </Form>
        </Card>
      )}
    </Frame>
  );
}
