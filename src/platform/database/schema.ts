// The database's shape as Kysely sees it (columns in camelCase through CamelCasePlugin).
// Only repositories use these types; domains expose their own.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type Json<T> = ColumnType<T, string, string>;

export interface StaffUsersTable {
  id: string;
  username: string;
  passwordHash: string;
  displayName: string;
  roles: string[];
  officeCode: string | null;
  active: Generated<boolean>;
  createdAt: Timestamp;
}

export interface SessionsTable {
  tokenHash: string;
  subjectKind: 'staff' | 'applicant';
  staffUserId: string | null;
  mobile: string | null;
  createdAt: Timestamp;
  expiresAt: Timestamp;
}

export interface OtpCodesTable {
  id: string;
  mobile: string;
  codeHash: string;
  attempts: Generated<number>;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  consumedAt: Timestamp | null;
}

export interface ServiceDefinitionsTable {
  service: string;
  version: number;
  content: Json<unknown>;
  publishedAt: Timestamp;
}

export interface SlaAgreementsTable {
  service: string;
  version: number;
  validFrom: string;
  validTo: string;
  targets: Json<unknown>;
  approvedBy: string;
  publishedAt: Timestamp;
}

export interface RequestsTable {
  id: string;
  trackingCode: string;
  service: string;
  serviceVersion: number;
  agreementVersion: number;
  channel: string;
  officeCode: string | null;
  state: string;
  version: Generated<number>;
  billId: string;
  accountNumber: string | null;
  relation: string;
  personType: string;
  nationalCode: string | null;
  nationalId: string | null;
  firstName: string | null;
  lastName: string | null;
  legalName: string | null;
  mobile: string;
  reason: string | null;
  connection: Json<unknown>;
  powerOfAttorney: Json<unknown> | null;
  consents: Json<unknown> | null;
  meterTest: Json<unknown> | null;
  conditions: Json<unknown> | null;
  removalSchedule: Json<unknown> | null;
  removal: Json<unknown> | null;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  closedAt: Timestamp | null;
  slaNextCheckAt: Timestamp | null;
  escalatedAt: Timestamp | null;
}

export interface RequestEventsTable {
  id: Generated<number>;
  requestId: string;
  action: string;
  fromState: string | null;
  toState: string;
  actorKind: 'staff' | 'applicant' | 'system';
  actorId: string | null;
  actorRole: string;
  channel: string | null;
  at: Timestamp;
  reason: string | null;
  payload: Json<unknown>;
}

export interface OutboxTable {
  id: string;
  kind: string;
  requestId: string | null;
  payload: Json<unknown>;
  status: Generated<'pending' | 'sending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  availableAt: Timestamp;
  createdAt: Timestamp;
  sentAt: Timestamp | null;
  providerMessageId: string | null;
  lastError: string | null;
  /** After this instant a failing message is given up (null: only MAX_ATTEMPTS bounds it). */
  giveUpAt: Timestamp | null;
}

export interface SmsMessagesTable {
  /** The outbox id: also the provider's de-duplication key (Kavenegar `localid`). */
  id: string;
  requestId: string | null;
  trackingCode: string | null;
  mobile: string;
  template: string;
  /** Null for one-time codes: their text is never kept. */
  text: string | null;
  mustAct: Generated<boolean>;
  status: Generated<'queued' | 'sent' | 'delivered' | 'failed'>;
  providerMessageId: string | null;
  failureReason: string | null;
  createdAt: Timestamp;
  sentAt: Timestamp | null;
  deliveredAt: Timestamp | null;
  failedAt: Timestamp | null;
  statusCheckedAt: Timestamp | null;
  nextStatusCheckAt: Timestamp | null;
  retryOf: string | null;
  retriedAt: Timestamp | null;
  retriedBy: string | null;
}

export interface SmsTemplatesTable {
  name: string;
  text: string;
  version: number;
  updatedBy: string;
  updatedAt: Timestamp;
}

export interface SmsTemplateVersionsTable {
  name: string;
  version: number;
  /** Null records a return to the built-in text. */
  text: string | null;
  updatedBy: string;
  updatedAt: Timestamp;
}

export interface StaffTasksTable {
  id: string;
  kind: 'call-applicant';
  role: string;
  requestId: string;
  trackingCode: string;
  mobile: string;
  smsMessageId: string | null;
  reasonFa: string;
  status: Generated<'open' | 'done'>;
  attempts: Generated<number>;
  outcome: 'reached' | 'unreachable' | null;
  note: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  resolvedAt: Timestamp | null;
  resolvedBy: string | null;
}

export interface TariffVersionsTable {
  id: string;
  effectiveFrom: Timestamp;
  note: string | null;
  isDemo: Generated<boolean>;
  createdBy: string;
  createdAt: Timestamp;
}

export interface TariffItemsTable {
  id: string;
  versionId: string;
  code: string;
  kind: 'removal-fee' | 'meter-test-fee' | 'pishkhan-fee' | 'reconnection-fee' | 'damage';
  phase: number | null;
  amperes: number | null;
  titleFa: string;
  amountRials: number;
}

export interface AmountsDueTable {
  id: string;
  requestId: string;
  stage: 'quote' | 'settlement';
  purpose: string;
  titleFa: string;
  amountRials: number;
  billId: string;
  paymentId: string;
  tariffItems: Json<unknown>;
  createdAt: Timestamp;
  paidAt: Timestamp | null;
  /** The payment deadline of a quote (and of a final bill); money after it is still recorded, and flagged. */
  expiresAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  tariffVersionId: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PaymentsTable {
  id: string;
  amountDueId: string;
  requestId: string;
  method: 'online' | 'counter' | 'bank' | 'pos' | 'cash';
  amountRials: number;
  status: 'pending' | 'verified' | 'failed';
  gatewayToken: string | null;
  reference: string | null;
  createdAt: Timestamp;
  verifiedAt: Timestamp | null;
  recordedBy: string | null;
  traceNo: ColumnType<string | null, string | null | undefined, string | null>;
  rrn: ColumnType<string | null, string | null | undefined, string | null>;
  maskedPan: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BankPaymentsTable {
  id: string;
  sequence: number;
  reference: string;
  billId: string;
  paymentId: string;
  amountRials: number;
  paidAt: Timestamp;
  receivedAt: Timestamp;
  status: 'matched' | 'unmatched' | 'amount-mismatch';
  amountDueId: string | null;
  paymentRowId: string | null;
}

export interface PaymentCallbacksTable {
  id: string;
  receivedAt: Timestamp;
  outcome: string;
  paymentRowId: string | null;
  token: string | null;
  refNum: string | null;
  resNum: string | null;
  amount: string | null;
  state: string | null;
}

export interface PaymentFlagsTable {
  id: string;
  kind: 'after-expiry' | 'request-closed' | 'double-payment' | 'amount-mismatch' | 'unmatched-bank-payment';
  requestId: string | null;
  amountDueId: string | null;
  paymentRowId: string | null;
  bankPaymentId: string | null;
  amountRials: number;
  details: Json<unknown>;
  createdAt: Timestamp;
  resolvedAt: Timestamp | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

export interface ConnectionsTable {
  billId: string;
  state: 'active' | 'temporarily-removed';
  removedAt: Timestamp | null;
  finalReading: number | null;
  meterSerial: string | null;
  meterDestination: string | null;
  requestId: string | null;
  updatedAt: Timestamp;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  requestHash: string;
  responseStatus: number | null;
  responseBody: Json<unknown> | null;
  createdAt: Timestamp;
}

export interface HolidaysTable {
  id: string;
  date: string;
  jalali: string;
  title: string;
  kind: 'solar' | 'lunar' | 'ad-hoc';
  source: 'official' | 'admin';
  createdBy: string;
  createdAt: Timestamp;
}

export interface CalendarClosuresTable {
  id: string;
  startsAt: Timestamp;
  endsAt: Timestamp;
  title: string;
  createdBy: string;
  createdAt: Timestamp;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updatedBy: string;
  updatedAt: Timestamp;
}

export interface SlaAlertsTable {
  id: string;
  requestId: string | null;
  step: string;
  stepStartedAt: Timestamp;
  kind: string;
  firedAt: Timestamp;
  details: Json<unknown>;
}

export interface StaffNotificationsTable {
  id: string;
  role: string;
  requestId: string | null;
  kind: string;
  textFa: string;
  createdAt: Timestamp;
  readAt: Timestamp | null;
  readBy: string | null;
}

export interface SurveysTable {
  id: string;
  requestId: string;
  tokenHash: string;
  outcome: string;
  channel: string;
  officeCode: string | null;
  steps: string[];
  createdAt: Timestamp;
  expiresAt: Timestamp;
  answeredAt: Timestamp | null;
  overallScore: number | null;
  comment: string | null;
  tags: Generated<string[]>;
}

export interface SurveyStepScoresTable {
  surveyId: string;
  step: string;
  score: number;
}

export interface SlaStepFactsTable {
  requestId: string;
  step: string;
  clock: 'company' | 'applicant' | 'whole';
  unit: string | null;
  startedAt: Timestamp;
  endedAt: Timestamp;
  workingMinutes: number;
  calendarMinutes: number;
  targetMinutes: number;
  breached: boolean;
  channel: string;
  officeCode: string | null;
  agreementVersion: number;
}

export interface WorkerHeartbeatsTable {
  workerId: string;
  host: string;
  pid: number;
  startedAt: Timestamp;
  beatAt: Timestamp;
}

export interface Database {
  holidays: HolidaysTable;
  calendarClosures: CalendarClosuresTable;
  settings: SettingsTable;
  slaAlerts: SlaAlertsTable;
  staffNotifications: StaffNotificationsTable;
  staffUsers: StaffUsersTable;
  sessions: SessionsTable;
  otpCodes: OtpCodesTable;
  serviceDefinitions: ServiceDefinitionsTable;
  slaAgreements: SlaAgreementsTable;
  requests: RequestsTable;
  requestEvents: RequestEventsTable;
  outbox: OutboxTable;
  smsMessages: SmsMessagesTable;
  smsTemplates: SmsTemplatesTable;
  smsTemplateVersions: SmsTemplateVersionsTable;
  staffTasks: StaffTasksTable;
  tariffVersions: TariffVersionsTable;
  tariffItems: TariffItemsTable;
  amountsDue: AmountsDueTable;
  payments: PaymentsTable;
  bankPayments: BankPaymentsTable;
  paymentCallbacks: PaymentCallbacksTable;
  paymentFlags: PaymentFlagsTable;
  connections: ConnectionsTable;
  idempotencyKeys: IdempotencyKeysTable;
  surveys: SurveysTable;
  surveyStepScores: SurveyStepScoresTable;
  slaStepFacts: SlaStepFactsTable;
  workerHeartbeats: WorkerHeartbeatsTable;
}

export type RequestRow = Selectable<RequestsTable>;
export type NewRequestRow = Insertable<RequestsTable>;
export type RequestEventRow = Selectable<RequestEventsTable>;
export type AmountDueRow = Selectable<AmountsDueTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type StaffUserRow = Selectable<StaffUsersTable>;
