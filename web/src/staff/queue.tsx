// The work queue of the signed-in roles: open requests in the states those roles act on, sorted
// by SLA urgency (breached first, then the nearest due date), with the clock visible.
import { busyIcon } from '../shared/loading.tsx';
import { Button, Progress, Segmented, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, type RequestPage, type RequestSummary, type RequestView } from '../shared/api.ts';
import { dateTimeFa, durationFa, toPersianDigits } from '../shared/format.ts';
import { CHANNEL_TITLES, STATE_INFO, type RequestState } from '../shared/labels.ts';
import { EmptyState, ErrorAlert, PageLoading, StateTag, TrackingCode, useLoad } from '../shared/ui.tsx';

/** The states each role works on; supervisors, administrators and auditors see every open state. */
const ROLE_STATES: Record<string, RequestState[]> = {
  clerk: ['submitted', 'meter-test', 'removal-scheduled'],
  finance: ['awaiting-payment', 'awaiting-settlement'],
  'meter-tester': ['meter-test'],
  'field-crew': ['removal-scheduled'],
  supervisor: ['submitted', 'awaiting-payment', 'meter-test', 'awaiting-acceptance', 'removal-scheduled', 'awaiting-settlement'],
  admin: ['submitted', 'awaiting-payment', 'meter-test', 'awaiting-acceptance', 'removal-scheduled', 'awaiting-settlement'],
  auditor: ['submitted', 'awaiting-payment', 'meter-test', 'awaiting-acceptance', 'removal-scheduled', 'awaiting-settlement'],
};

interface QueueItem extends RequestSummary {
  step: RequestView['sla']['steps'][number] | null;
  urgency: number;
}

async function withSla(items: RequestSummary[], signal: AbortSignal): Promise<QueueItem[]> {
  const out: QueueItem[] = [];
  const queue = [...items];
  // The list answer has no SLA: read each request's view, six at a time.
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const view = await api<RequestView>('GET', `/api/v1/requests/${item.trackingCode}`, { realm: 'staff', signal });
        const step = [...view.sla.steps].reverse().find((s) => s.endedAt === null) ?? null;
        const remaining = step ? (step.clock === 'company' ? step.targetMinutes - step.elapsedWorkingMinutes : (Date.parse(step.dueAt) - Date.now()) / 60_000) : Number.POSITIVE_INFINITY;
        // Company steps first by working minutes left; the applicant's turn after them.
        const urgency = step ? (step.clock === 'company' ? remaining : 1e9 + remaining) : Number.POSITIVE_INFINITY;
        out.push({ ...item, step, urgency });
      }
    }),
  );
  return out.sort((a, b) => a.urgency - b.urgency);
}

export function SlaClock({ step }: { step: QueueItem['step'] }) {
  if (!step) return <span className="muted">—</span>;
  if (step.clock === 'applicant') {
    return (
      <span className="clock applicant">
        نوبت متقاضی؛ مهلت تا {step.dueAtJalali}
      </span>
    );
  }
  const left = step.targetMinutes - step.elapsedWorkingMinutes;
  const percent = Math.min(100, Math.round((step.elapsedWorkingMinutes / step.targetMinutes) * 100));
  const tone = left < 0 || step.status === 'breached' ? 'breached' : percent >= 50 ? 'warning' : 'ok';
  return (
    <span className={`clock ${tone}`}>
      {left < 0 ? `${durationFa(-left)} کاری تأخیر` : `${durationFa(left)} کاری مانده`}
      <Progress percent={percent} size="small" showInfo={false} status={tone === 'breached' ? 'exception' : 'normal'} strokeColor={tone === 'warning' ? '#f79009' : undefined} aria-label={`${toPersianDigits(percent)} درصد زمان مرحله گذشته است`} />
      <span className="muted small">موعد: {dateTimeFa(step.dueAt)}</span>
    </span>
  );
}

export function Queue({ roles }: { roles: string[] }) {
  const states = useMemo(() => [...new Set(roles.flatMap((r) => ROLE_STATES[r] ?? []))], [roles]);
  const [filter, setFilter] = useState<string>('all');
  const queue = useLoad(
    async (signal) => {
      if (!states.length) return [];
      const page = await api<RequestPage>('GET', `/api/v1/requests?state=${states.join(',')}&pageSize=200`, { realm: 'staff', signal });
      return withSla(page.items, signal);
    },
    [states.join(',')],
  );
  const items = (queue.data ?? []).filter((i) => filter === 'all' || i.state === filter);
  const counts = new Map<string, number>();
  for (const i of queue.data ?? []) counts.set(i.state, (counts.get(i.state) ?? 0) + 1);

  return (
    <section aria-labelledby="queue-title">
      <div className="admin-toolbar">
        <Typography.Title level={1} className="page-title" id="queue-title">
          صف کار {queue.data ? `(${toPersianDigits(queue.data.length)})` : ''}
        </Typography.Title>
        <Button onClick={queue.reload} loading={busyIcon(queue.loading)}>
          به‌روزرسانی
        </Button>
      </div>
      {states.length > 1 ? (
        <Segmented
          className="block-gap queue-filter"
          value={filter}
          onChange={(v) => setFilter(String(v))}
          options={[{ value: 'all', label: `همه (${toPersianDigits(queue.data?.length ?? 0)})` }, ...states.map((s) => ({ value: s, label: `${STATE_INFO[s].titleFa.split('،')[0]} (${toPersianDigits(counts.get(s) ?? 0)})` }))]}
        />
      ) : null}
      <ErrorAlert error={queue.error} onRetry={queue.reload} />
      {queue.loading && !queue.data ? <PageLoading label="در حال دریافت صف کار…" /> : null}
      {queue.data && items.length === 0 ? <EmptyState title="صف کار خالی است.">درخواستی در انتظار اقدام شما نیست.</EmptyState> : null}
      {items.length ? (
        <ol className="queue-list" aria-label="درخواست‌ها به ترتیب فوریت">
          {items.map((item) => (
            <li key={item.trackingCode} className="queue-item">
              <div>
                <Link to={`/staff/requests/${item.trackingCode}`}>
                  <TrackingCode code={item.trackingCode} copy={false} />
                </Link>
                <div className="muted small">
                  {item.applicantName} · {CHANNEL_TITLES[item.channel] ?? item.channel}
                </div>
              </div>
              <div className="hide-narrow">
                <StateTag state={item.state} title={item.stateTitle} />
                {item.step ? <div className="small">{item.step.title}</div> : null}
              </div>
              <div className="queue-clock">
                <SlaClock step={item.step} />
              </div>
              <Link to={`/staff/requests/${item.trackingCode}`} className="ant-btn ant-btn-default hide-narrow" tabIndex={-1} aria-hidden="true">
                باز کردن
              </Link>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
