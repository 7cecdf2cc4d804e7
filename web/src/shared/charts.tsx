// Light charts made by hand (HTML bars and one SVG line chart) instead of a charting library:
// right to left, Persian labels and digits, an accessible name on each (the figure's caption),
// every value readable as text, and no extra kilobytes for the staff chunk.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface Point {
  label: string;
  value: number | null;
  key?: string;
  /** A second line under the value, e.g. "۳ از ۴". */
  note?: string;
}

const nf = new Map<number, Intl.NumberFormat>();
/** A number in Persian digits with at most `digits` decimals ("۱۲٫۵"). */
export function fa(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  let f = nf.get(digits);
  if (!f) nf.set(digits, (f = new Intl.NumberFormat('fa-IR', { maximumFractionDigits: digits })));
  return f.format(n);
}

export function ChartCard({ title, caption, children, wide = false }: { title: string; caption?: ReactNode; children: (labelId: string) => ReactNode; wide?: boolean }) {
  const id = useId();
  return (
    <figure className={wide ? 'chart-card chart-wide' : 'chart-card'} aria-labelledby={id}>
      <figcaption>
        <h3 id={id} className="chart-title">
          {title}
        </h3>
        {caption ? <div className="muted small">{caption}</div> : null}
      </figcaption>
      {children(id)}
    </figure>
  );
}

/** Horizontal bars, longest value full width; null values read "بدون داده". */
export function BarChart(props: { title: string; caption?: ReactNode; points: Point[]; format?: (v: number) => string; max?: number; color?: string; emptyText?: string; wide?: boolean }) {
  const { points, format = (v) => fa(v), color = '#1d6fd1' } = props;
  const max = props.max ?? Math.max(1, ...points.map((p) => p.value ?? 0));
  const empty = points.length === 0 || points.every((p) => !p.value);
  return (
    <ChartCard title={props.title} caption={props.caption} wide={props.wide ?? false}>
      {(labelId) =>
        points.length === 0 || (empty && props.emptyText) ? (
          <p className="chart-empty">{props.emptyText ?? 'در این بازه داده‌ای نیست.'}</p>
        ) : (
          <ul className="bar-list" aria-labelledby={labelId}>
            {points.map((p) => (
              <li key={p.key ?? p.label} className="bar-row">
                <span className="bar-label">{p.label}</span>
                <span className="bar-track" aria-hidden="true">
                  <span className="bar-fill" style={{ width: `${p.value ? Math.max(1.5, (p.value / max) * 100) : 0}%`, background: color }} />
                </span>
                <span className="bar-value">
                  {p.value === null ? <span className="muted">بدون داده</span> : format(p.value)}
                  {p.note ? <span className="muted small bar-note">{p.note}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        )
      }
    </ChartCard>
  );
}

export interface DurationPoint {
  key: string;
  label: string;
  p50: number | null;
  p90: number | null;
  target: number | null;
  count: number;
}

/** Median and 90th percentile bars per step against the step's target (a dashed marker). */
export function DurationChart({ title, caption, points, unit, toUnit }: { title: string; caption?: ReactNode; points: DurationPoint[]; unit: string; toUnit: (minutes: number) => number }) {
  const max = Math.max(0.1, ...points.flatMap((p) => [p.p50, p.p90, p.target].filter((v): v is number => v !== null).map(toUnit))) * 1.08;
  const pct = (v: number) => `${Math.min(100, (toUnit(v) / max) * 100)}%`;
  return (
    <ChartCard title={title} caption={caption}>
      {(labelId) => (
        <>
          <ul className="bar-list" aria-labelledby={labelId}>
            {points.map((p) => (
              <li key={p.key} className="bar-row duration-row">
                <span className="bar-label">{p.label}</span>
                <span className="bar-track stacked" aria-hidden="true">
                  <span className="bar-fill p90" style={{ width: p.p90 === null ? 0 : pct(p.p90) }} />
                  <span className="bar-fill p50" style={{ width: p.p50 === null ? 0 : pct(p.p50) }} />
                  {p.target !== null ? <span className="target-mark" style={{ insetInlineStart: pct(p.target) }} /> : null}
                </span>
                <span className="bar-value">
                  {p.count === 0 ? (
                    <span className="muted">بدون داده</span>
                  ) : (
                    <>
                      میانه {fa(p.p50 === null ? null : toUnit(p.p50))} · صدک ۹۰ {fa(p.p90 === null ? null : toUnit(p.p90))}
                      <span className="muted small bar-note">
                        هدف {fa(p.target === null ? null : toUnit(p.target))} {unit} · {fa(p.count, 0)} مورد
                      </span>
                    </>
                  )}
                </span>
              </li>
            ))}
          </ul>
          <div className="chart-legend" aria-hidden="true">
            <span><span className="swatch swatch-p50" /> میانه (p50)</span>
            <span><span className="swatch swatch-p90" /> صدک ۹۰ (p90)</span>
            <span><span className="swatch swatch-target" /> هدف توافقنامه</span>
          </div>
        </>
      )}
    </ChartCard>
  );
}

export interface Series {
  name: string;
  color: string;
  points: Point[];
  dashed?: boolean;
}

/** A line chart over time buckets; time runs right to left as Persian is read. */
export function TrendChart({ title, caption, series, format = (v) => fa(v), max: fixedMax }: { title: string; caption?: ReactNode; series: Series[]; format?: (v: number) => string; max?: number }) {
  const labels = series[0]?.points.map((p) => p.label) ?? [];
  // Drawn at the width it is shown, so the Persian labels keep their size on a phone.
  const box = useRef<HTMLDivElement>(null);
  const [W, setW] = useState(600);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => entry && entry.contentRect.width > 0 && setW(Math.round(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [labels.length === 0]);
  const H = 230;
  const padTop = 16;
  const padBottom = 46;
  const padRight = 44;
  const padLeft = 16;
  const max = fixedMax ?? Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.value ?? 0)));
  const n = labels.length;
  const x = (i: number) => (n <= 1 ? (W - padRight + padLeft) / 2 : W - padRight - (i * (W - padRight - padLeft)) / (n - 1));
  const y = (v: number) => padTop + (1 - v / max) * (H - padTop - padBottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => t * max);
  const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(W / 90))));
  const summary = series.map((s) => `${s.name}: ${s.points.map((p) => `${p.label} ${p.value === null ? 'بدون داده' : format(p.value)}`).join('، ')}`).join('؛ ');
  return (
    <ChartCard title={title} caption={caption}>
      {() =>
        n === 0 ? (
          <p className="chart-empty">در این بازه داده‌ای نیست.</p>
        ) : (
          <div ref={box}>
            <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title} — ${summary}`} className="trend-svg">
              {ticks.map((t) => (
                <g key={t}>
                  <line x1={padLeft} x2={W - padRight} y1={y(t)} y2={y(t)} stroke="#e5e7eb" />
                  <text x={W - padRight + 6} y={y(t) + 4} fontSize="12" fill="#4b5563" textAnchor="start">
                    {format(Math.round(t * 10) / 10)}
                  </text>
                </g>
              ))}
              {labels.map((l, i) =>
                i % every === 0 || i === n - 1 ? (
                  <text key={l + i} x={x(i)} y={H - padBottom + 20} fontSize="12" fill="#374151" textAnchor="middle">
                    {l}
                  </text>
                ) : null,
              )}
              {series.map((s) => {
                const pts = s.points.map((p, i) => (p.value === null ? null : ([x(i), y(p.value)] as const)));
                const segments: string[] = [];
                let current: string[] = [];
                for (const p of pts) {
                  if (p) current.push(`${p[0]},${p[1]}`);
                  else if (current.length) {
                    segments.push(current.join(' '));
                    current = [];
                  }
                }
                if (current.length) segments.push(current.join(' '));
                return (
                  <g key={s.name}>
                    {segments.map((seg) => (
                      <polyline key={seg} points={seg} fill="none" stroke={s.color} strokeWidth="2.5" strokeDasharray={s.dashed ? '6 4' : undefined} />
                    ))}
                    {pts.map((p, i) => (p ? <circle key={i} cx={p[0]} cy={p[1]} r="3.5" fill={s.color} /> : null))}
                  </g>
                );
              })}
            </svg>
            <div className="chart-legend" aria-hidden="true">
              {series.map((s) => (
                <span key={s.name}>
                  <span className="swatch" style={{ background: s.color }} /> {s.name}
                </span>
              ))}
            </div>
          </div>
        )
      }
    </ChartCard>
  );
}
