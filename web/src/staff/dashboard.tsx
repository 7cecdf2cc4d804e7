// The supervisors' and management's dashboard (issue 7): filters (Jalali period, channel, Pishkhan
// office) kept in the address, key figures, a chart for every figure GET /reports/dashboard
// returns, and the agreement review table with its Excel and CSV downloads.
import { Alert, App, Button, Card, Form, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { WORKING_DAY_MINUTES } from '../../../src/sla/agreement.ts';
import { api } from '../shared/api.ts';
import { BarChart, DurationChart, fa, TrendChart, type Point } from '../shared/charts.tsx';
import { downloadFile, queryString } from '../shared/download.ts';
import { toPersianDigits } from '../shared/format.ts';
import { JalaliInput } from '../shared/jalali-picker.tsx';
import { busyIcon } from '../shared/loading.tsx';
import { ErrorAlert, PageLoading, useLoad } from '../shared/ui.tsx';

const CHANNEL_OPTIONS = [
  { value: 'web', label: 'وب‌سایت' },
  { value: 'app', label: 'اپلیکیشن «برق من»' },
  { value: 'pishkhan', label: 'دفاتر پیشخوان' },
  { value: 'counter', label: 'باجه حضوری' },
];

interface Trend {
  filed: Point[];
  completed: Point[];
  compliance: Point[];
}

interface Dashboard {
  period: { from: string; to: string };
  filters: { channel: string | null; office: string | null };
  generatedAt: string;
  volume: { total: number; byChannel: Point[]; byOffice: Point[] };
  compliance: { overall: { label: string; value: number | null; compliant: number; total: number }; bySteps: Array<Point & { compliant: number; total: number }> };
  durations: Array<{ key: string; label: string; p50: number | null; p90: number | null; target: number | null; count: number }>;
  breaches: { total: number; bySteps: Point[]; byUnit: Point[] };
  backlog: { total: number; byState: Point[]; byAge: Point[]; byStateAndAge: Array<{ key: string; label: string; buckets: Point[] }> };
  satisfaction: { overall: { value: number | null; count: number }; bySteps: Array<Point & { count: number }>; byChannel: Array<Point & { count: number }> };
  trends: { weekly: Trend; monthly: Trend };
}

interface ReviewRow {
  step: string;
  title: string;
  clock: string;
  unit: string | null;
  timeUnitFa: string;
  count: number;
  targetDays: number | null;
  p50Days: number | null;
  p90Days: number | null;
  breachRatePercent: number | null;
  compliancePercent: number | null;
  satisfaction: number | null;
  satisfactionCount: number;
  topTags: Array<{ key: string; label: string; count: number }>;
  lowScoreComments: string[];
  suggestedTargetDays: number | null;
  suggestionFa: string | null;
}

interface Review {
  period: { from: string; to: string };
  agreementVersion: number;
  rule: string;
  rows: ReviewRow[];
  topTags: Array<{ key: string; label: string; count: number }>;
  comments: Array<{ trackingCode: string; overallScore: number; comment: string | null; tags: string[] }>;
}

interface Filters {
  from?: string;
  to?: string;
  channel?: string;
  office?: string;
}

const jalaliFa = (d: string) => toPersianDigits(d.replace(/-/g, '/'));
const pct = (v: number) => `${fa(v)}٪`;
const score = (v: number) => `${fa(v, 2)} از ۵`;
const days = (m: number) => m / WORKING_DAY_MINUTES;

function Fact({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="fact">
      <span className="fact-value">{value}</span>
      <span className="fact-label">{label}</span>
      {note ? <span className="fact-label small"> · {note}</span> : null}
    </div>
  );
}

function ReviewTable({ review }: { review: Review }) {
  const columns: ColumnsType<ReviewRow> = [
    { title: 'مرحله', dataIndex: 'title', key: 'title', fixed: 'start', width: 170, render: (t: string, r) => (<><strong>{t}</strong>{r.unit ? <div className="muted small">{r.unit}</div> : null}</>) },
    { title: 'هدف', key: 'target', render: (_, r) => `${fa(r.targetDays, 2)} ${r.timeUnitFa}` },
    { title: 'میانه (p50)', key: 'p50', render: (_, r) => fa(r.p50Days, 2) },
    { title: 'صدک ۹۰ (p90)', key: 'p90', render: (_, r) => fa(r.p90Days, 2) },
    { title: 'تعداد', dataIndex: 'count', key: 'count', render: (n: number) => fa(n, 0) },
    { title: 'نرخ تأخیر', key: 'breach', render: (_, r) => (r.breachRatePercent === null ? '—' : pct(r.breachRatePercent)) },
    { title: 'رضایت', key: 'sat', render: (_, r) => (r.satisfaction === null ? '—' : <>{score(r.satisfaction)}<div className="muted small">{fa(r.satisfactionCount, 0)} پاسخ</div></>) },
    { title: 'برچسب‌های پرتکرار', key: 'tags', render: (_, r) => (r.topTags.length ? r.topTags.map((t) => <Tag key={t.key}>{t.label} ({fa(t.count, 0)})</Tag>) : '—') },
    {
      title: 'هدف پیشنهادی',
      key: 'suggested',
      width: 240,
      render: (_, r) => (
        <>
          {r.suggestedTargetDays === null ? '—' : <strong>{fa(r.suggestedTargetDays, 2)} {r.timeUnitFa}</strong>}
          {r.suggestionFa ? <div className="muted small">{r.suggestionFa}</div> : null}
        </>
      ),
    },
  ];
  return (
    <>
      <Table<ReviewRow> className="review-table" rowKey="step" size="small" columns={columns} dataSource={review.rows} pagination={false} scroll={{ x: 1100 }} />
      <p className="muted small">{review.rule}</p>
      {review.comments.length ? (
        <details className="other-actions">
          <summary>نظرهای متقاضیان ({fa(review.comments.length, 0)})</summary>
          <ul className="plain-list">
            {review.comments.map((c, i) => (
              <li key={`${c.trackingCode}-${i}`}>
                <strong>{score(c.overallScore)}</strong> · کد رهگیری <bdi>{toPersianDigits(c.trackingCode)}</bdi>
                {c.comment ? <div>{c.comment}</div> : null}
                {c.tags.length ? <div>{c.tags.map((t) => <Tag key={t}>{t}</Tag>)}</div> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

export default function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const filters: Filters = useMemo(() => {
    const f: Filters = {};
    for (const k of ['from', 'to', 'channel', 'office'] as const) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);
  const qs = queryString({ ...filters });
  const [form] = Form.useForm<Filters>();
  const [offices, setOffices] = useState<Point[]>([]);
  const { message } = App.useApp();
  const [downloading, setDownloading] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const dashboard = useLoad(async (signal) => {
    const d = await api<Dashboard>('GET', `/api/v1/reports/dashboard${qs}`, { realm: 'staff', signal });
    if (!filters.office) setOffices((known) => [...known, ...d.volume.byOffice.filter((o) => !known.some((k) => k.key === o.key))]);
    return d;
  }, [qs]);
  const review = useLoad((signal) => api<Review>('GET', `/api/v1/reports/agreement-review${queryString({ ...filters, format: 'json' })}`, { realm: 'staff', signal }), [qs]);

  function apply(values: Filters) {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v) next.set(k, String(v));
    setParams(next);
  }

  async function download(format: 'xlsx' | 'csv') {
    setDownloading(format);
    setDownloadError(null);
    try {
      const name = await downloadFile(`/api/v1/reports/agreement-review${queryString({ ...filters, format })}`, `agreement-review.${format}`);
      void message.success(`فایل ${name} دریافت شد.`);
    } catch (e) {
      setDownloadError(e);
    } finally {
      setDownloading(null);
    }
  }

  const d = dashboard.data;
  const officeOptions = [...offices, ...(filters.office && !offices.some((o) => o.key === filters.office) ? [{ key: filters.office, label: `دفتر پیشخوان ${toPersianDigits(filters.office)}`, value: 0 }] : [])].map((o) => ({ value: o.key!, label: o.label }));

  return (
    <section className="card-stack dashboard">
      <Typography.Title level={1} className="page-title">
        داشبورد پایش توافقنامه سطح خدمت
      </Typography.Title>
      <Card>
        <Form<Filters> form={form} layout="vertical" initialValues={filters} onFinish={apply} className="filter-grid" requiredMark={false}>
          <Form.Item name="from" label="از تاریخ">
            <JalaliInput placeholder="آغاز ماه جاری" />
          </Form.Item>
          <Form.Item name="to" label="تا تاریخ">
            <JalaliInput placeholder="امروز" />
          </Form.Item>
          <Form.Item name="channel" label="درگاه ثبت">
            <Select allowClear placeholder="همه درگاه‌ها" options={CHANNEL_OPTIONS} />
          </Form.Item>
          <Form.Item name="office" label="دفتر پیشخوان">
            <Select allowClear placeholder="همه دفترها" options={officeOptions} notFoundContent="دفتری در این بازه درخواست ثبت نکرده است." />
          </Form.Item>
          <div className="filter-actions">
            <Button type="primary" htmlType="submit">
              نمایش
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                form.setFieldsValue({ from: undefined, to: undefined, channel: undefined, office: undefined });
                setParams(new URLSearchParams());
              }}
            >
              پاک کردن فیلترها
            </Button>
          </div>
        </Form>
      </Card>

      <ErrorAlert error={dashboard.error} onRetry={dashboard.reload} title="داشبورد بارگذاری نشد" />
      {dashboard.loading && !d ? <PageLoading label="در حال محاسبه شاخص‌ها…" /> : null}
      {d ? (
        <div className={dashboard.loading ? 'card-stack reloading' : 'card-stack'} aria-busy={dashboard.loading}>
          <p className="muted period-line" aria-live="polite">
            بازه {jalaliFa(d.period.from)} تا {jalaliFa(d.period.to)}
            {d.filters.channel ? ` · درگاه ${CHANNEL_OPTIONS.find((c) => c.value === d.filters.channel)?.label ?? d.filters.channel}` : ''}
            {d.filters.office ? ` · دفتر پیشخوان ${toPersianDigits(d.filters.office)}` : ''}
          </p>
          {d.volume.total === 0 && d.backlog.total === 0 ? <Alert type="info" showIcon title="در این بازه درخواستی ثبت نشده است؛ بازه یا فیلترها را تغییر دهید." /> : null}
          <div className="facts" role="list" aria-label="شاخص‌های اصلی">
            <div role="listitem"><Fact label="درخواست ثبت‌شده" value={fa(d.volume.total, 0)} /></div>
            <div role="listitem"><Fact label="رعایت موعد کل درخواست" value={d.compliance.overall.value === null ? '—' : pct(d.compliance.overall.value)} note={`${fa(d.compliance.overall.compliant, 0)} از ${fa(d.compliance.overall.total, 0)}`} /></div>
            <div role="listitem"><Fact label="تأخیر در مراحل" value={fa(d.breaches.total, 0)} /></div>
            <div role="listitem"><Fact label="کارهای مانده" value={fa(d.backlog.total, 0)} /></div>
            <div role="listitem"><Fact label="رضایت کلی" value={d.satisfaction.overall.value === null ? '—' : score(d.satisfaction.overall.value)} note={`${fa(d.satisfaction.overall.count, 0)} پاسخ`} /></div>
          </div>

          <h2 className="section-title">حجم درخواست‌ها</h2>
          <div className="chart-grid">
            <BarChart title="درخواست‌ها به تفکیک درگاه" points={d.volume.byChannel} format={(v) => fa(v, 0)} />
            <BarChart title="درخواست‌ها به تفکیک دفتر پیشخوان" points={d.volume.byOffice} format={(v) => fa(v, 0)} emptyText="در این بازه درخواستی از دفاتر پیشخوان ثبت نشده است." color="#0e9384" />
          </div>

          <h2 className="section-title">رعایت موعدها</h2>
          <div className="chart-grid">
            <BarChart
              title="درصد رعایت موعد هر مرحله"
              caption="مراحل با ساعت شرکت؛ آخرین سطر کل درخواست است."
              points={[...d.compliance.bySteps.map((s) => ({ ...s, note: s.total ? `${fa(s.compliant, 0)} از ${fa(s.total, 0)}` : undefined })), { key: 'whole', label: d.compliance.overall.label, value: d.compliance.overall.value, note: d.compliance.overall.total ? `${fa(d.compliance.overall.compliant, 0)} از ${fa(d.compliance.overall.total, 0)}` : undefined }]}
              max={100}
              format={pct}
              color="#067647"
            />
            <DurationChart title="زمان کاری هر مرحله در برابر هدف" caption="به روز کاری (۷ ساعت)؛ میانه و صدک ۹۰ مراحل پایان‌یافته." points={d.durations} unit="روز کاری" toUnit={days} />
            <BarChart title="تأخیرها به تفکیک مرحله" points={d.breaches.bySteps} format={(v) => fa(v, 0)} color="#b42318" />
            <BarChart title="تأخیرها به تفکیک واحد مسئول" points={d.breaches.byUnit} format={(v) => fa(v, 0)} color="#b42318" emptyText="در این بازه تأخیری ثبت نشده است." />
          </div>

          <h2 className="section-title">کارهای مانده (اکنون)</h2>
          <div className="chart-grid">
            <BarChart title="کارهای مانده به تفکیک وضعیت" points={d.backlog.byState} format={(v) => fa(v, 0)} color="#b54708" />
            <BarChart title="کارهای مانده به تفکیک سن درخواست" points={d.backlog.byAge} format={(v) => fa(v, 0)} color="#b54708" />
          </div>
          <Card size="small" title={<h3 className="chart-title">وضعیت و سن کارهای مانده</h3>}>
            <div className="table-scroll">
              <table className="fee-table heat-table">
                <caption className="visually-hidden">تعداد کارهای مانده در هر وضعیت به تفکیک سن</caption>
                <thead>
                  <tr>
                    <th scope="col">وضعیت</th>
                    {d.backlog.byAge.map((a) => (
                      <th scope="col" key={a.key}>{a.label}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {d.backlog.byStateAndAge.map((s) => (
                    <tr key={s.key}>
                      <th scope="row">{s.label}</th>
                      {s.buckets.map((b) => (
                        <td key={b.key} className={b.value ? 'num heat' : 'num'} style={b.value ? { background: `rgba(181, 71, 8, ${Math.min(0.35, 0.08 + (b.value / Math.max(1, d.backlog.total)) * 0.5)})` } : undefined}>
                          {fa(b.value, 0)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>

          <h2 className="section-title">رضایت متقاضیان</h2>
          <div className="chart-grid">
            <BarChart title="رضایت به تفکیک مرحله" caption="میانگین امتیاز ۱ تا ۵ نظرسنجی‌ها" points={d.satisfaction.bySteps.map((s) => ({ ...s, note: s.count ? `${fa(s.count, 0)} پاسخ` : undefined }))} max={5} format={score} color="#6941c6" />
            <BarChart title="رضایت به تفکیک درگاه" caption="میانگین امتیاز کلی ۱ تا ۵" points={d.satisfaction.byChannel.map((s) => ({ ...s, note: s.count ? `${fa(s.count, 0)} پاسخ` : undefined }))} max={5} format={score} color="#6941c6" />
          </div>

          <h2 className="section-title">روندها</h2>
          <div className="chart-grid">
            <TrendChart title="درخواست‌های ثبت‌شده و انجام‌شده در هر هفته" series={[{ name: 'ثبت‌شده', color: '#1d6fd1', points: d.trends.weekly.filed }, { name: 'انجام‌شده', color: '#067647', points: d.trends.weekly.completed, dashed: true }]} format={(v) => fa(v, 0)} />
            <TrendChart title="رعایت موعد در هر هفته" series={[{ name: 'درصد رعایت موعد', color: '#b54708', points: d.trends.weekly.compliance }]} max={100} format={pct} />
            <TrendChart title="درخواست‌های ثبت‌شده و انجام‌شده در هر ماه" series={[{ name: 'ثبت‌شده', color: '#1d6fd1', points: d.trends.monthly.filed }, { name: 'انجام‌شده', color: '#067647', points: d.trends.monthly.completed, dashed: true }]} format={(v) => fa(v, 0)} />
            <TrendChart title="رعایت موعد در هر ماه" series={[{ name: 'درصد رعایت موعد', color: '#b54708', points: d.trends.monthly.compliance }]} max={100} format={pct} />
          </div>
        </div>
      ) : null}

      <Card
        title={<h2 className="card-title">گزارش بازنگری توافقنامه</h2>}
        className="review-card"
      >
        <div className="hero-actions block-gap">
          <Button onClick={() => void download('xlsx')} loading={busyIcon(downloading === 'xlsx')} disabled={downloading !== null}>
            دریافت اکسل
          </Button>
          <Button onClick={() => void download('csv')} loading={busyIcon(downloading === 'csv')} disabled={downloading !== null}>
            دریافت CSV
          </Button>
        </div>
        <ErrorAlert error={downloadError} title="دریافت فایل ممکن نشد" />
        <ErrorAlert error={review.error} onRetry={review.reload} title="گزارش بازنگری بارگذاری نشد" />
        {review.loading && !review.data ? <PageLoading label="در حال آماده‌سازی گزارش…" /> : null}
        {review.data ? (
          <>
            <p className="muted">
              بازه {jalaliFa(review.data.period.from)} تا {jalaliFa(review.data.period.to)} · توافقنامه نسخه {fa(review.data.agreementVersion, 0)}
            </p>
            <ReviewTable review={review.data} />
          </>
        ) : null}
      </Card>
    </section>
  );
}
