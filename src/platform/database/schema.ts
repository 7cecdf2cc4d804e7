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
}

export interface PaymentsTable {
  id: string;
  amountDueId: string;
  requestId: string;
  method: 'online' | 'counter' | 'bank';
  amountRials: number;
  status: 'pending' | 'verified' | 'failed';
  gatewayToken: string | null;
  reference: string | null;
  createdAt: Timestamp;
  verifiedAt: Timestamp | null;
  recordedBy: string | null;
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
  tariffVersions: TariffVersionsTable;
  tariffItems: TariffItemsTable;
  amountsDue: AmountsDueTable;
  payments: PaymentsTable;
  connections: ConnectionsTable;
  idempotencyKeys: IdempotencyKeysTable;
}

export type RequestRow = Selectable<RequestsTable>;
export type NewRequestRow = Insertable<RequestsTable>;
export type RequestEventRow = Selectable<RequestEventsTable>;
export type AmountDueRow = Selectable<AmountsDueTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type StaffUserRow = Selectable<StaffUsersTable>;
