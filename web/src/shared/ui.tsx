// Building blocks every area of the web app shares: the page frame, loading / empty / error
// states, state tags, money, and the hook that loads data from the API.
import { Alert, Button, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { STATE_INFO, type RequestState } from '../../../src/requests/transitions.ts';
import { ApiError } from './api.ts';
import { formatRials, groupedCode, tomansFa } from './format.ts';

export { PageLoading } from './loading.tsx';

export function ErrorAlert({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  if (!error) return null;
  const message = error instanceof ApiError ? error.message : 'خطایی پیش‌بینی‌نشده رخ داد؛ لطفاً دوباره تلاش کنید.';
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={title ?? message}
      description={title ? message : undefined}
      action={onRetry ? <Button size="small" onClick={onRetry}>تلاش دوباره</Button> : undefined}
      className="block-gap"
    />
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <Typography.Text strong>{title}</Typography.Text>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}


const OWNER_COLORS = { company: 'processing', applicant: 'warning', none: 'default' } as const;

export function isRequestState(state: string): state is RequestState {
  return state in STATE_INFO;
}

/** The state with its Persian title; colour by whose move it is (ours, the applicant's, or done). */
export function StateTag({ state, title }: { state: string; title?: string }) {
  if (!isRequestState(state)) return <Tag>{title ?? state}</Tag>;
  const info = STATE_INFO[state];
  const color = state === 'completed' ? 'success' : state === 'rejected' ? 'error' : OWNER_COLORS[info.owner];
  return (
    <Tag color={color} className="state-tag">
      {title ?? info.titleFa}
    </Tag>
  );
}

/** "۳٬۴۵۰٬۰۰۰ ریال" with "(۳۴۵٬۰۰۰ تومان)" beside it. */
export function Money({ rials, strong = false }: { rials: number; strong?: boolean }) {
  return (
    <span className="money">
      {strong ? <strong>{formatRials(rials)}</strong> : formatRials(rials)}
      <span className="muted"> ({tomansFa(rials)})</span>
    </span>
  );
}

/** The tracking code grouped in fours, Persian digits; with a copy button unless it sits inside a link. */
export function TrackingCode({ code, size = 'normal', copy = true }: { code: string; size?: 'normal' | 'large'; copy?: boolean }) {
  if (!copy) return <bdi className="tracking-code" dir="ltr">{groupedCode(code)}</bdi>;
  return (
    <Typography.Text
      className={size === 'large' ? 'tracking-code tracking-code-large' : 'tracking-code'}
      copyable={{ text: code, tooltips: ['رونوشت کد رهگیری', 'رونوشت شد'] }}
    >
      <bdi dir="ltr">{groupedCode(code)}</bdi>
    </Typography.Text>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (data: T) => void;
}

/** Loads `load()` on mount and whenever `deps` change; keeps the last data while reloading. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    loader
      .current(controller.signal)
      .then((value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted || (e as Error).name === 'AbortError') return;
        setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}

/** Shows an API error on the form: the field it names (and every listed issue) gets the Persian message. */
export function applyApiError(form: FormInstance, error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  const issues = error.issues.length ? error.issues : error.field ? [{ field: error.field, message: error.message }] : [];
  const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
  const fields = issues
    .filter((i) => i.field)
    .map((i) => ({ name: i.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [i.message] }))
    .filter((f) => known.has(String(f.name[0])));
  if (fields.length) {
    form.setFields(fields);
    form.scrollToField(fields[0]!.name, { block: 'center' });
    return true;
  }
  return false;
}
