// One schema per endpoint; types are inferred from them and shared with the web client.
// Identifier fields normalise Persian/Arabic-Indic digits and fail with their own stable code.
import { z } from 'zod';
import { ERRORS, type ErrorCode } from '../platform/errors.ts';
import { toAsciiDigits } from '../platform/digits.ts';
import { normalizeLegalNationalId, normalizeMobile, normalizeNationalCode, parseBillId } from '../platform/identifiers.ts';
import { normalizeTrackingCode } from './tracking-code.ts';
import { REQUEST_STATES } from './transitions.ts';

/** A string field normalised by `normalize`; an invalid value fails with `code` and its Persian message. */
function identifier(normalize: (s: string) => string | null, code: ErrorCode, description: string) {
  return z
    .string()
    .max(64)
    .transform((value, ctx) => {
      const normalized = normalize(value);
      if (normalized === null) {
        ctx.addIssue({ code: 'custom', message: ERRORS[code].message, params: { code } });
        return z.NEVER;
      }
      return normalized;
    })
    .describe(description);
}

export const NationalCode = identifier(normalizeNationalCode, 'INVALID_NATIONAL_CODE', 'کد ملی ۱۰ رقمی (ارقام فارسی، عربی یا لاتین)');
export const NationalId = identifier(normalizeLegalNationalId, 'INVALID_NATIONAL_ID', 'شناسه ملی ۱۱ رقمی شخص حقوقی');
export const Mobile = identifier(normalizeMobile, 'INVALID_MOBILE', 'شماره همراه ایرانی، مانند 09121234567');
export const BillId = identifier((s) => parseBillId(s)?.billId ?? null, 'INVALID_BILL_ID', 'شناسه قبض برق');
export const TrackingCode = identifier(normalizeTrackingCode, 'INVALID_TRACKING_CODE', 'کد رهگیری ۱۲ رقمی');

const PersonName = z.string().trim().min(2).max(80);
const ShortText = z.string().trim().max(500);
const Integer = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? Number(toAsciiDigits(v).trim()) : v), z.number().int().min(min).max(max));

export const Channel = z.enum(['web', 'app', 'pishkhan', 'counter']);
export type Channel = z.infer<typeof Channel>;

export const NaturalApplicant = z.object({
  personType: z.literal('natural'),
  nationalCode: NationalCode,
  firstName: PersonName,
  lastName: PersonName,
  mobile: Mobile,
});

export const LegalApplicant = z.object({
  personType: z.literal('legal'),
  nationalId: NationalId,
  name: PersonName,
  mobile: Mobile,
  /** The natural person who files for the company (optional). */
  representative: z.object({ nationalCode: NationalCode, firstName: PersonName, lastName: PersonName }).optional(),
});

export const PowerOfAttorney = z.object({
  number: z.string().trim().min(1).max(40).describe('شماره وکالت‌نامه'),
  date: z.string().trim().min(8).max(10).describe('تاریخ وکالت‌نامه (شمسی، مانند 1405-08-20)'),
  notaryOffice: z.string().trim().max(80).optional().describe('دفترخانه'),
  documentId: z.string().max(64).optional(),
});

export const CreateRequestBody = z.object({
  service: z.enum(['temporary-removal']).describe('کد خدمت'),
  channel: Channel,
  billId: BillId,
  relation: z.enum(['owner', 'attorney']).default('owner'),
  applicant: z.discriminatedUnion('personType', [NaturalApplicant, LegalApplicant]),
  reason: ShortText.optional(),
  powerOfAttorney: PowerOfAttorney.optional(),
  /** For a shared connection: the national code of every user who consents. */
  consents: z.array(z.object({ nationalCode: NationalCode, name: PersonName.optional() })).max(20).optional(),
});
export type CreateRequestBody = z.output<typeof CreateRequestBody>;

export const ActionBody = z.looseObject({
  action: z.string().min(1).max(40).describe('نام اقدام: quote, record-meter-test, announce-conditions, accept-conditions, refuse-conditions, schedule-removal, record-removal, withdraw, reject, …'),
  reason: ShortText.optional(),
});
export type ActionBody = z.output<typeof ActionBody>;

const DamagedItems = z.array(z.enum(['meter-single-phase', 'meter-three-phase', 'seal', 'meter-box', 'current-transformer', 'cable'])).max(10).default([]);
const Seals = z.array(z.string().trim().min(1).max(30)).max(10).default([]);

/** Payloads of the actions that carry data; the others take only an optional reason. */
export const ACTION_PAYLOADS = {
  'record-meter-test': z.object({
    result: z.enum(['ok', 'faulty', 'tampered', 'damaged']).describe('نتیجه آزمایش'),
    reading: Integer(0, 999_999_999).describe('شماره کنتور هنگام آزمایش'),
    seals: Seals,
    damagedItems: DamagedItems,
    notes: ShortText.optional(),
  }),
  'announce-conditions': z.object({ notes: ShortText.optional() }),
  'schedule-removal': z.object({
    scheduledFor: z.iso.datetime({ offset: true }).describe('زمان مراجعه اکیپ (ISO 8601)'),
    crew: z.string().trim().max(80).optional(),
    notes: ShortText.optional(),
  }),
  'record-removal': z.object({
    finalReading: Integer(0, 999_999_999).describe('شماره نهایی کنتور'),
    equipmentCondition: z.enum(['intact', 'damaged']),
    damagedItems: DamagedItems,
    seals: Seals,
    meterDestination: z.string().trim().max(80).default('انبار شرکت'),
    notes: ShortText.optional(),
  }),
} as const;

export const TrackQuery = z.object({
  nationalCode: z.string().max(20).optional(),
  nationalId: z.string().max(20).optional(),
});

export const ListQuery = z.object({
  state: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const states = v.split(',').map((s) => s.trim());
      for (const s of states) {
        if (!(REQUEST_STATES as readonly string[]).includes(s)) {
          ctx.addIssue({ code: 'custom', message: `وضعیت «${s}» شناخته‌شده نیست.` });
          return z.NEVER;
        }
      }
      return states;
    })
    .describe('یک یا چند وضعیت، جداشده با ویرگول'),
  billId: z.string().max(20).optional(),
  page: Integer(1, 100_000).default(1),
  pageSize: Integer(1, 200).default(50),
  sort: z.enum(['created', 'urgency']).default('created').describe('created: oldest first; urgency: the most overdue step first (company steps before applicant ones), within the first 2,000 matches'),
});

export const TrackingCodeParams = z.object({ trackingCode: TrackingCode });

export const PaymentStartBody = z.object({ amountDueId: z.uuid() });

// ---- Responses -------------------------------------------------------------------------------

export const AmountDueView = z.object({
  id: z.string(),
  stage: z.enum(['quote', 'settlement']),
  purpose: z.string(),
  title: z.string(),
  amountRials: z.number().int(),
  billId: z.string(),
  paymentId: z.string(),
  paid: z.boolean(),
  paidAt: z.string().nullable(),
  expiresAt: z.string().nullable().describe('مهلت پرداخت'),
  expiresAtJalali: z.string().nullable(),
});

export const EventView = z.object({
  action: z.string(),
  actionTitle: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  at: z.string(),
  atJalali: z.string(),
  actorRole: z.string(),
  channel: z.string().nullable(),
  reason: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});

const SlaStatus = z.enum(['on-track', 'warning', 'breached', 'met', 'paused']);

export const SlaStepView = z.object({
  key: z.string().describe('quote, payment, meter-test, conditions, acceptance, removal, settlement'),
  title: z.string(),
  state: z.string(),
  clock: z.enum(['company', 'applicant']).describe('company: working time; applicant: calendar time (the company clock is paused)'),
  unit: z.string().nullable().describe('the unit answerable for a company step'),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  dueAt: z.string(),
  dueAtJalali: z.string(),
  targetMinutes: z.number().describe('company steps: working minutes; applicant steps: calendar minutes'),
  elapsedWorkingMinutes: z.number(),
  elapsedCalendarMinutes: z.number(),
  status: SlaStatus,
  breachedAt: z.string().nullable(),
});

export const SlaView = z.object({
  agreementVersion: z.number(),
  status: SlaStatus.describe('the whole request against its company-time target'),
  escalatedAt: z.string().nullable(),
  promisedAt: z.string().nullable(),
  promisedAtJalali: z.string().nullable(),
  companyWorkingMinutes: z.number(),
  wholeTargetWorkingMinutes: z.number(),
  steps: z.array(SlaStepView),
});

export const RequestView = z.object({
  trackingCode: z.string(),
  service: z.string(),
  serviceVersion: z.number(),
  channel: Channel,
  officeCode: z.string().nullable(),
  state: z.enum(REQUEST_STATES),
  stateTitle: z.string(),
  nextStep: z.string(),
  billId: z.string(),
  accountNumber: z.string().nullable(),
  relation: z.enum(['owner', 'attorney']),
  applicant: z.object({
    personType: z.enum(['natural', 'legal']),
    nationalCode: z.string().optional(),
    nationalId: z.string().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    name: z.string().optional(),
    mobile: z.string(),
  }),
  reason: z.string().nullable(),
  connection: z.record(z.string(), z.unknown()),
  powerOfAttorney: z.record(z.string(), z.unknown()).nullable(),
  meterTest: z.record(z.string(), z.unknown()).nullable(),
  conditions: z.record(z.string(), z.unknown()).nullable(),
  removalSchedule: z.record(z.string(), z.unknown()).nullable(),
  removal: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
  createdAtJalali: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  amountsDue: z.array(AmountDueView),
  totalDueRials: z.number().int(),
  noRefundNotice: z.string().nullable().describe('پس از اعلام هزینه: وجوه پرداخت‌شده پس از انصراف یا بایگانی بازگردانده نمی‌شود (بند ۴)'),
  events: z.array(EventView),
  availableActions: z.array(z.string()),
  sla: SlaView,
});
export type RequestView = z.infer<typeof RequestView>;

export const RequestSummary = RequestView.pick({
  trackingCode: true, channel: true, officeCode: true, state: true, stateTitle: true, billId: true, createdAt: true, createdAtJalali: true, updatedAt: true,
}).extend({
  applicantName: z.string(),
  totalDueRials: z.number().int(),
  sla: z.object({
    status: SlaStatus,
    promisedAt: z.string().nullable(),
    escalated: z.boolean(),
    current: SlaStepView.nullable().describe('the step running now, with its clock (null for a closed request)'),
  }),
});

export const RequestPage = z.object({ items: z.array(RequestSummary), page: z.number(), pageSize: z.number(), total: z.number() });

export const TrackView = z.object({
  trackingCode: z.string(),
  state: z.enum(REQUEST_STATES),
  stateTitle: z.string(),
  nextStep: z.string(),
  submittedAt: z.string(),
  submittedAtJalali: z.string(),
  promisedAt: z.string().nullable(),
  promisedAtJalali: z.string().nullable(),
  outstandingRials: z.number().int(),
  steps: z.array(z.object({ state: z.string(), title: z.string(), at: z.string(), atJalali: z.string() })),
});
