// The API client of the web app: JSON over fetch, bearer tokens kept per realm (the applicant's
// one-time-code session and the staff session are separate), and one error type carrying the
// API's Persian message and the field it is about.
import type { RequestView as ServerRequestView } from '../../../src/requests/request.schemas.ts';

export type RequestView = ServerRequestView;
export type Realm = 'citizen' | 'staff';

export interface FieldIssue {
  field: string;
  message: string;
}

/** An error answer of the API ({error:{code,message,details}}) or a network failure, in Persian. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

const TOKEN_KEYS: Record<Realm, string> = { citizen: 'barq.citizen', staff: 'barq.staff' };

export interface Session {
  token: string;
  /** The applicant's mobile, or the staff member's username. */
  who: string;
  displayName?: string;
  roles: string[];
  officeCode?: string | null;
}

export function getSession(realm: Realm): Session | null {
  try {
    const raw = localStorage.getItem(TOKEN_KEYS[realm]);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function setSession(realm: Realm, session: Session | null): void {
  if (session) localStorage.setItem(TOKEN_KEYS[realm], JSON.stringify(session));
  else localStorage.removeItem(TOKEN_KEYS[realm]);
  window.dispatchEvent(new CustomEvent('barq-session', { detail: realm }));
}

function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: string; message?: string; details?: { field?: string; issues?: FieldIssue[] } } } | null)?.error;
  if (error?.message) return new ApiError(status, error.code ?? 'ERROR', error.message, error.details?.field ?? null, error.details?.issues ?? []);
  if (status === 404) return new ApiError(404, 'NOT_FOUND', 'این بخش در سامانه یافت نشد.');
  if (status === 429) return new ApiError(429, 'TOO_MANY_REQUESTS', 'تعداد تلاش‌ها بیش از حد مجاز است؛ کمی بعد دوباره تلاش کنید.');
  return new ApiError(status, 'INTERNAL', 'پاسخ سامانه قابل فهم نبود؛ لطفاً دوباره تلاش کنید.');
}

export interface CallOptions {
  realm?: Realm;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Calls the API; resolves with the parsed JSON (null for 204) or rejects with an ApiError. */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: CallOptions = {}): Promise<T> {
  const session = options.realm ? getSession(options.realm) : null;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (session) headers.authorization = `Bearer ${session.token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: options.body === undefined ? null : JSON.stringify(options.body), signal: options.signal ?? null });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'ارتباط با سامانه برقرار نشد؛ اتصال اینترنت را بررسی کنید و دوباره تلاش کنید.');
  }
  if (response.status === 204) return null as T;
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    // An expired session: forget it so the page asks the person to sign in again.
    if (response.status === 401 && options.realm && session) setSession(options.realm, null);
    throw toApiError(response.status, json);
  }
  return json as T;
}

/** A fresh key per form, so a double click or a retried submission files one request, not two. */
export function idempotencyKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export interface TrackView {
  trackingCode: string;
  state: string;
  stateTitle: string;
  nextStep: string;
  submittedAt: string;
  submittedAtJalali: string;
  promisedAt: string | null;
  promisedAtJalali: string | null;
  outstandingRials: number;
  steps: Array<{ state: string; title: string; at: string; atJalali: string }>;
}

export interface RequestSummary {
  trackingCode: string;
  channel: string;
  officeCode: string | null;
  state: string;
  stateTitle: string;
  billId: string;
  createdAt: string;
  createdAtJalali: string;
  updatedAt: string;
  applicantName: string;
  totalDueRials: number;
}

export interface RequestPage {
  items: RequestSummary[];
  page: number;
  pageSize: number;
  total: number;
}

export interface SlaExplanation {
  steps: Array<{
    key: string;
    state: string;
    clock: 'company' | 'applicant';
    titleFa: string;
    unit: string | null;
    startedAt: string;
    endedAt: string | null;
    targetMinutes: number;
    dueAt: string;
    elapsedWorkingMinutes: number;
    elapsedCalendarMinutes: number;
    status: string;
    breachedAt: string | null;
    timeline: Array<{ from: string; to: string; running: boolean; reason?: string }>;
    alerts: Array<{ kind: string; firedAt?: string }>;
  }>;
}
