// The request's steps as a timeline (from sla.steps of the request view) and, where people would
// rather look than read, a chart of when each SLA clock ran and when it was paused, and why
// (from GET /requests/{code}/sla).
import { Steps, Tag, Typography } from 'antd';
import type { RequestView, SlaExplanation } from './api.ts';
import { dateFa, dateTimeFa, durationFa, toPersianDigits } from './format.ts';

export const SLA_STEP_TITLES: Record<string, string> = {
  quote: 'بررسی و اعلام هزینه',
  payment: 'پرداخت هزینه‌ها توسط متقاضی',
  'meter-test': 'آزمایش کنتور',
  conditions: 'اعلام شرایط فنی و مالی',
  acceptance: 'پاسخ متقاضی به شرایط',
  removal: 'جمع‌آوری انشعاب',
  settlement: 'تسویه صورتحساب نهایی',
};
const STEP_ORDER = Object.keys(SLA_STEP_TITLES);

export const SLA_STATUS: Record<string, { label: string; color: string }> = {
  'on-track': { label: 'در موعد', color: 'processing' },
  warning: { label: 'نزدیک به موعد', color: 'warning' },
  breached: { label: 'با تأخیر', color: 'error' },
  met: { label: 'انجام‌شده در موعد', color: 'success' },
  paused: { label: 'نوبت متقاضی', color: 'default' },
};

const TERMINAL: Record<string, string> = {
  completed: 'پایان خدمت: انشعاب به‌طور موقت جمع‌آوری شد',
  archived: 'بایگانی شد (شرایط پذیرفته نشد)',
  withdrawn: 'درخواست لغو شد',
  rejected: 'درخواست رد شد',
};

type Step = RequestView['sla']['steps'][number];

function stepStatus(step: Step, isCurrent: boolean): 'finish' | 'process' | 'error' | 'wait' {
  if (step.status === 'breached' && (isCurrent || step.endedAt === null)) return 'error';
  if (step.endedAt) return 'finish';
  return isCurrent ? 'process' : 'wait';
}

/** Every SLA step of the request: done ones with their dates, the current one with its due date, the rest still to come. */
export function RequestTimeline({ view, audience }: { view: Pick<RequestView, 'sla' | 'state' | 'closedAt'>; audience: 'applicant' | 'staff' }) {
  const steps = view.sla.steps;
  const seen = new Set(steps.map((s) => s.key));
  const terminal = TERMINAL[view.state];
  const currentIndex = terminal ? -1 : steps.length - 1;
  const items = steps.map((step, index) => {
    const current = index === currentIndex;
    const status = SLA_STATUS[step.status];
    const who = step.clock === 'company' ? (audience === 'staff' && step.unit ? `شرکت — ${step.unit}` : 'شرکت توزیع برق') : 'متقاضی';
    return {
      key: `${step.key}-${index}`,
      status: stepStatus(step, current),
      title: (
        <span className="step-title">
          {step.title}
          {status && (current || step.status === 'breached') ? <Tag color={status.color}>{status.label}</Tag> : null}
        </span>
      ),
      content: (
        <div className="step-desc">
          <div>
            <span className="muted">انجام‌دهنده: </span>
            {who}
          </div>
          <div>
            <span className="muted">آغاز: </span>
            {dateTimeFa(step.startedAt)}
          </div>
          {step.endedAt ? (
            <div>
              <span className="muted">پایان: </span>
              {dateTimeFa(step.endedAt)}
            </div>
          ) : (
            <div>
              <span className="muted">{step.clock === 'company' ? 'موعد انجام: ' : 'مهلت متقاضی: '}</span>
              <strong>{step.dueAtJalali}</strong>
            </div>
          )}
          {audience === 'staff' && step.clock === 'company' ? (
            <div className="muted">
              زمان کاری سپری‌شده: {durationFa(step.elapsedWorkingMinutes)} از {durationFa(step.targetMinutes)}
            </div>
          ) : null}
        </div>
      ),
    };
  });
  if (terminal) {
    items.push({ key: 'end', status: view.state === 'completed' ? 'finish' : 'error', title: <span className="step-title">{terminal}</span>, content: <div className="step-desc">{dateTimeFa(view.closedAt)}</div> });
  } else {
    for (const key of STEP_ORDER.filter((k) => !seen.has(k))) {
      items.push({ key, status: 'wait', title: <span className="step-title">{SLA_STEP_TITLES[key]}</span>, content: <div className="step-desc muted">هنوز آغاز نشده</div> });
    }
  }
  return <Steps orientation="vertical" size="small" items={items} className="request-timeline" />;
}

/** A Gantt-like picture of the SLA clocks: company time running (blue), paused (grey), the applicant's time (amber). Time runs right to left. */
export function SlaChart({ explanation, now }: { explanation: SlaExplanation; now?: Date }) {
  const steps = explanation.steps;
  if (!steps.length) return null;
  const end = (now ?? new Date()).getTime();
  const t0 = Math.min(...steps.map((s) => Date.parse(s.startedAt)));
  const t1 = Math.max(end, ...steps.map((s) => Date.parse(s.endedAt ?? new Date(end).toISOString())));
  const span = Math.max(t1 - t0, 60_000);
  const width = 1000;
  const labelWidth = 230;
  const rowHeight = 34;
  const plot = width - labelWidth - 10;
  const x = (t: number) => plot - ((t - t0) / span) * plot; // right to left
  const height = steps.length * rowHeight + 40;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => t0 + f * span);
  const pauses = steps.flatMap((s) => s.timeline.filter((seg) => !seg.running && seg.reason).map((seg) => ({ step: s.titleFa, ...seg })));
  const uniquePauseReasons = [...new Map(pauses.map((p) => [`${p.step}|${p.reason}`, p])).values()];
  return (
    <figure className="sla-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="sla-chart-title sla-chart-desc" preserveAspectRatio="xMidYMid meet">
        <title id="sla-chart-title">نمودار زمان‌بندی مراحل درخواست</title>
        <desc id="sla-chart-desc">
          {steps.map((s) => `${s.titleFa}: ${SLA_STATUS[s.status]?.label ?? s.status}`).join('؛ ')}
        </desc>
        {ticks.map((t, i) => (
          <g key={i}>
            <line x1={x(t)} x2={x(t)} y1={0} y2={height - 28} stroke="#e5e7eb" />
            <text x={x(t)} y={height - 10} fontSize="15" textAnchor="middle" fill="#4b5563">
              {span < 2 * 86_400_000 ? dateTimeFa(new Date(t).toISOString()).split('ساعت ')[1] : dateFa(new Date(t).toISOString()).split(' ').slice(1, 3).join(' ')}
            </text>
          </g>
        ))}
        {steps.map((s, row) => {
          const y = row * rowHeight + 6;
          const segments = s.timeline.length ? s.timeline : [{ from: s.startedAt, to: s.endedAt ?? new Date(end).toISOString(), running: s.clock === 'company' }];
          return (
            <g key={`${s.key}-${row}`}>
              <text x={width - 4} y={y + 17} fontSize="16" textAnchor="start" direction="rtl" fill="#111827">
                {s.titleFa}
              </text>
              <rect x={0} y={y} width={plot} height={rowHeight - 10} fill="#f9fafb" />
              {segments.map((seg, i) => {
                const a = x(Date.parse(seg.from));
                const b = x(Date.parse(seg.to));
                const fill = s.clock === 'applicant' ? '#f59e0b' : seg.running ? (s.status === 'breached' ? '#dc2626' : '#1d6fd1') : '#cbd5e1';
                return <rect key={i} x={Math.min(a, b)} y={y} width={Math.max(Math.abs(a - b), 2)} height={rowHeight - 10} fill={fill} rx="2" />;
              })}
              <line x1={x(Date.parse(s.dueAt))} x2={x(Date.parse(s.dueAt))} y1={y - 2} y2={y + rowHeight - 8} stroke="#7c2d12" strokeDasharray="3 2" strokeWidth="2" />
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        <span><i className="swatch swatch-run" /> ساعت شرکت در جریان</span>
        <span><i className="swatch swatch-pause" /> ساعت متوقف (غیرکاری یا تعطیل)</span>
        <span><i className="swatch swatch-applicant" /> نوبت متقاضی (زمان تقویمی)</span>
        <span><i className="swatch swatch-due" /> موعد</span>
      </figcaption>
      {uniquePauseReasons.length ? (
        <details className="pause-reasons">
          <summary>چرا ساعت متوقف شد؟ ({toPersianDigits(uniquePauseReasons.length)} علت)</summary>
          <ul>
            {uniquePauseReasons.map((p, i) => (
              <li key={i}>
                <Typography.Text strong>{p.step}:</Typography.Text> {p.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </figure>
  );
}
