// Local twin of the billing system (DESIGN §4): a Fastify plugin that speaks the billing protocol
// of billing.adapter.ts over deterministic demo data of Qom subscribers, so the app runs and is
// tested with no network. Mutations (debt paid, removal recorded) are persisted to a JSON state
// file when one is given, so a restarted app sees the same world.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { makeBillId, makeLegalNationalId, makeNationalCode, parseBillId, parsePaymentId } from '../platform/identifiers.ts';
import type { BillingSubscriber } from './billing.adapter.ts';

/** Options of the billing twin: PRNG seed (default 1405), 3-digit company code, optional JSON state file. */
export interface BillingTwinOptions {
  seed?: number;
  companyCode: string;
  stateFile?: string;
  /** How many subscribers to generate (default TWIN_SUBSCRIBER_COUNT; benchmarks ask for more). */
  count?: number;
}

/** The billing twin: its Fastify plugin and a snapshot of the current subscribers. */
export interface BillingTwin {
  plugin: FastifyPluginAsync;
  subscribers(): BillingSubscriber[];
}

/** Tiers of the twin's simple household tariff: rials per kWh up to `upToKwh` (last tier unbounded). */
export const TWIN_HOUSEHOLD_TIERS: ReadonlyArray<{ upToKwh: number; rialsPerKwh: number }> = [
  { upToKwh: 100, rialsPerKwh: 1_200 },
  { upToKwh: 200, rialsPerKwh: 1_500 },
  { upToKwh: 400, rialsPerKwh: 3_000 },
  { upToKwh: Number.POSITIVE_INFINITY, rialsPerKwh: 6_000 },
];

/** Prices consumedKwh with TWIN_HOUSEHOLD_TIERS, rounded down to a multiple of 1000 rials. */
export function priceTwinConsumptionRials(consumedKwh: number): number {
  let remaining = Math.max(0, consumedKwh);
  let lower = 0;
  let total = 0;
  for (const tier of TWIN_HOUSEHOLD_TIERS) {
    if (remaining <= 0) break;
    const inTier = Math.min(remaining, tier.upToKwh - lower);
    total += inTier * tier.rialsPerKwh;
    remaining -= inTier;
    lower = tier.upToKwh;
  }
  return Math.floor(total / 1000) * 1000;
}

// ---------------------------------------------------------------------------------------------
// Deterministic demo data

/** mulberry32: a small seeded PRNG, so the demo world is the same on every start. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MALE_FIRST_NAMES = ['علی', 'محمد', 'حسین', 'رضا', 'مهدی', 'امیر', 'حمید', 'مجید', 'سعید', 'مصطفی', 'جواد', 'مرتضی', 'احمد', 'ابوالفضل', 'محسن', 'هادی'];
const FEMALE_FIRST_NAMES = ['فاطمه', 'زهرا', 'مریم', 'معصومه', 'زینب', 'سمیه', 'نرگس', 'لیلا', 'مهسا', 'سارا', 'الهام', 'طاهره', 'کبری', 'راضیه'];
const LAST_NAMES = [
  'محمدی', 'حسینی', 'احمدی', 'رضایی', 'موسوی', 'کریمی', 'قمی', 'صادقی', 'جعفری', 'رحیمی', 'نوری', 'طاهری',
  'اکبری', 'یزدانی', 'کاشانی', 'فراهانی', 'عباسی', 'حیدری', 'شریفی', 'ملکی', 'زارعی', 'بهرامی', 'سلطانی', 'نجفی',
];
const COMPANY_NAMES = [
  'شرکت نان‌آوران قم',
  'شرکت صنایع غذایی سوهان ممتاز',
  'شرکت ساختمانی پردیسان سازه',
  'مؤسسه خیریه نیکوکاران قم',
  'شرکت پخش دارویی کوثر',
  'شرکت تولیدی فرش الغدیر',
  'شرکت حمل‌ونقل سریع‌السیر قم',
  'شرکت تعاونی مسکن فرهنگیان قم',
  'شرکت بازرگانی آیین تجارت',
  'مدرسه غیردولتی فرزانگان قم',
];
const STREETS = [
  'خیابان صفائیه', 'بلوار امین', 'خیابان ساحلی', 'بلوار جمهوری اسلامی', 'خیابان باجک', 'بلوار پیامبر اعظم',
  'خیابان ۱۹ دی', 'خیابان چهارمردان', 'خیابان هنرستان', 'بلوار الغدیر', 'بلوار عمار یاسر', 'خیابان شهید صدوقی',
  'بلوار کاشانی', 'خیابان آذر', 'خیابان دورشهر', 'خیابان انقلاب', 'خیابان سمیه', 'بلوار ۱۵ خرداد', 'خیابان معلم',
  'بلوار محمدامین', 'خیابان توحید', 'شهرک پردیسان، بلوار دانشگاه',
];
const MOBILE_PREFIXES = ['0912', '0919', '0935', '0936', '0937', '0910', '0991', '0930', '0917', '0901', '0921'];
const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

function toFa(n: number | string): string {
  return String(n).replace(/\d/g, (d) => PERSIAN_DIGITS[Number(d)]!);
}

/** Number of demo subscribers generated. */
export const TWIN_SUBSCRIBER_COUNT = 64;

/** Generates the demo subscribers deterministically from `seed`; index 0 is a natural person with an active, non-shared, debt-free connection. */
export function generateTwinSubscribers(seed: number, companyCode: string, count = TWIN_SUBSCRIBER_COUNT): BillingSubscriber[] {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join('');
  const used = new Set<string>();
  const unique = (make: () => string): string => {
    for (;;) {
      const value = make();
      if (!used.has(value)) {
        used.add(value);
        return value;
      }
    }
  };
  const nationalCode = () =>
    unique(() => {
      // Qom-issued codes start 037/038; the check digit comes from the identifiers helper.
      return makeNationalCode(pick(['037', '038']) + digits(6));
    });
  const personName = () => `${pick(random() < 0.5 ? MALE_FIRST_NAMES : FEMALE_FIRST_NAMES)} ${pick(LAST_NAMES)}`;
  const mobile = () => unique(() => pick(MOBILE_PREFIXES) + digits(7));
  // Qom postal codes start 37; no 0 or 2 in the first five digits.
  const postalCode = () => unique(() => '37' + Array.from({ length: 3 }, () => pick(['1', '3', '4', '5', '6', '7', '8', '9'])).join('') + digits(5));

  // Connection kinds in rotation so every rating occurs: single-phase 25/32 A, three-phase 3×25/3×32/3×50 A.
  const ratings: ReadonlyArray<{ phase: 1 | 3; amperes: number }> = [
    { phase: 1, amperes: 25 },
    { phase: 1, amperes: 32 },
    { phase: 1, amperes: 25 },
    { phase: 3, amperes: 25 },
    { phase: 1, amperes: 25 },
    { phase: 3, amperes: 32 },
    { phase: 1, amperes: 32 },
    { phase: 3, amperes: 50 },
  ];
  const removedIndex = 7;
  const sharedIndex = 11;
  let legalCount = 0;

  const subscribers: BillingSubscriber[] = [];
  for (let i = 0; i < count; i++) {
    // Every sixth subscriber (not the first) is a company or organisation.
    const legal = i % 6 === 3;
    const fileNumber = unique(() => String(int(1_000_000, 89_999_999)));
    const billId = makeBillId(fileNumber, companyCode, 2);
    const accountNumber = unique(() => String(int(1, 9)) + digits(7));
    const rating = ratings[i % ratings.length]!;
    const owner: BillingSubscriber['owner'] = legal
      ? {
          personType: 'legal',
          nationalId: unique(() => makeLegalNationalId('10' + pick(['8', '9', '3']) + digits(7))),
          name: COMPANY_NAMES[legalCount++ % COMPANY_NAMES.length]!,
          mobile: mobile(),
        }
      : (() => {
          const male = random() < 0.55;
          return {
            personType: 'natural' as const,
            nationalCode: nationalCode(),
            firstName: pick(male ? MALE_FIRST_NAMES : FEMALE_FIRST_NAMES),
            lastName: pick(LAST_NAMES),
            mobile: mobile(),
          };
        })();
    const address = `قم، ${pick(STREETS)}، کوچه ${toFa(int(1, 48))}، پلاک ${toFa(int(1, 220))}${random() < 0.3 ? `، طبقه ${toFa(int(1, 5))}` : ''}`;
    const hasDebt = i !== 0 && random() < 0.5;
    const debtRials = hasDebt ? int(150, 12_000) * 1000 : 0;
    const connection: BillingSubscriber['connection'] = {
      phase: rating.phase,
      amperes: rating.amperes,
      meterSerial: unique(() => pick(['11', '14', '21', '38']) + digits(8)),
      // Kept below 5,000 kWh so a demo final reading above that is always a forward reading.
      lastReading: int(600, 4_900),
      state: i === removedIndex ? 'temporarily-removed' : 'active',
      shared: i === sharedIndex,
    };
    if (i === sharedIndex) {
      const others = Array.from({ length: int(1, 2) }, () => ({ nationalCode: nationalCode(), name: personName() }));
      const ownerName = owner.personType === 'natural' ? `${owner.firstName ?? ''} ${owner.lastName ?? ''}`.trim() : (owner.name ?? '');
      connection.users = [{ nationalCode: owner.nationalCode ?? owner.nationalId ?? '', name: ownerName }, ...others];
    }
    subscribers.push({ billId, accountNumber, fileNumber, owner, address, postalCode: postalCode(), connection, debtRials });
  }
  return subscribers;
}

// ---------------------------------------------------------------------------------------------
// State and persistence

interface TwinPayment {
  billId: string;
  amountRials: number;
  reference: string;
  at: string;
}

interface TwinRemoval {
  billId: string;
  finalReading: number;
  removedAt: string;
  trackingCode: string;
  consumedKwh: number;
  chargedRials: number;
}

interface TwinBankPayment {
  sequence: number;
  billId: string;
  paymentId: string;
  amountRials: number;
  reference: string;
  paidAt: string;
  channel: string | null;
}

interface TwinState {
  version: 1;
  seed: number;
  companyCode: string;
  subscribers: BillingSubscriber[];
  /** Paid beyond the billed debt (the consumption not yet billed), per bill ID. */
  creditRials: Record<string, number>;
  payments: TwinPayment[];
  removals: TwinRemoval[];
  /** Payments of bill ID + payment ID pairs made at bank channels, as the clearing reports them. */
  bankPayments?: TwinBankPayment[];
}

const StateFileSchema = z.object({
  version: z.literal(1),
  seed: z.number(),
  companyCode: z.string(),
  subscribers: z.array(z.any()),
  creditRials: z.record(z.string(), z.number()),
  payments: z.array(z.any()),
  removals: z.array(z.any()),
  bankPayments: z.array(z.any()).optional(),
});

function loadState(options: Required<Pick<BillingTwinOptions, 'seed' | 'companyCode' | 'count'>> & { stateFile?: string }): TwinState {
  if (options.stateFile && existsSync(options.stateFile)) {
    const parsed = StateFileSchema.safeParse(JSON.parse(readFileSync(options.stateFile, 'utf8')));
    // A file made with another seed or company code describes another world: start afresh.
    if (parsed.success && parsed.data.seed === options.seed && parsed.data.companyCode === options.companyCode && parsed.data.subscribers.length === options.count) {
      return parsed.data as TwinState;
    }
  }
  return {
    version: 1,
    seed: options.seed,
    companyCode: options.companyCode,
    subscribers: generateTwinSubscribers(options.seed, options.companyCode, options.count),
    creditRials: {},
    payments: [],
    removals: [],
  };
}

function saveState(stateFile: string, state: TwinState): void {
  mkdirSync(path.dirname(path.resolve(stateFile)), { recursive: true });
  const temporary = `${stateFile}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 2));
  renameSync(temporary, stateFile); // atomic on one file system: a crash never leaves half a file
}

// ---------------------------------------------------------------------------------------------
// Plugin

const FinalDebtBody = z.object({ finalReading: z.number().int().nonnegative() });
const PaymentBody = z.object({ amountRials: z.number().int().positive(), reference: z.string().min(1) });
const RemovalBody = z.object({ finalReading: z.number().int().nonnegative(), removedAt: z.string().min(1), trackingCode: z.string().min(1) });
const BankPaymentBody = z.object({
  billId: z.string().min(1).max(20),
  paymentId: z.string().min(1).max(20),
  amountRials: z.number().int().positive(),
  reference: z.string().min(1).max(64),
  paidAt: z.string().optional(),
  channel: z.string().max(40).optional(),
});
const BankPaymentsQuery = z.object({ since: z.coerce.number().int().nonnegative().default(0), limit: z.coerce.number().int().min(1).max(1000).default(200) });

/** Creates the billing twin; mount its plugin under a prefix (e.g. /__twins/billing) and point the HTTP client there. */
export function createBillingTwin(options: BillingTwinOptions): BillingTwin {
  const state = loadState({ seed: options.seed ?? 1405, companyCode: options.companyCode, count: options.count ?? TWIN_SUBSCRIBER_COUNT, stateFile: options.stateFile });
  const byBillId = new Map(state.subscribers.map((s) => [s.billId, s]));
  const persist = () => {
    if (options.stateFile) saveState(options.stateFile, state);
  };

  const find = (billId: string): BillingSubscriber | undefined => {
    const normalized = parseBillId(billId)?.billId ?? billId;
    return byBillId.get(normalized);
  };
  const clone = <T>(value: T): T => structuredClone(value);

  const notFound = (reply: FastifyReply) => reply.code(404).send({ error: 'subscriber not found' });
  const badRequest = (reply: FastifyReply, message: string) => reply.code(400).send({ error: message });

  const plugin: FastifyPluginAsync = async (app) => {
    // Demo listing (API.md "Local twins"): not part of the billing protocol, no key needed.
    app.get('/subscribers', async () => ({ subscribers: clone(state.subscribers) }));
    app.get<{ Params: { billId: string } }>('/subscribers/:billId', async (request, reply) => {
      const subscriber = find(request.params.billId);
      return subscriber ? clone(subscriber) : notFound(reply);
    });

    // Demo and tests (not the protocol): a payer pays a bill ID + payment ID at a bank channel; the
    // clearing reports it to billing, which then lists it at GET /api/bank-payments.
    app.post('/bank-payments', async (request, reply) => {
      const body = BankPaymentBody.safeParse(request.body);
      if (!body.success) return badRequest(reply, 'billId, paymentId, amountRials (positive integer) and reference are required');
      const { billId, paymentId, amountRials, reference } = body.data;
      // A bank channel checks both identifiers' check digits and takes the amount the payment ID carries.
      const parsed = parsePaymentId(billId, paymentId);
      if (!parsed) return badRequest(reply, 'bill ID or payment ID fails its check digits');
      const list = (state.bankPayments ??= []);
      const already = list.find((p) => p.reference === reference);
      if (already) return reply.code(200).send({ recorded: false, duplicate: true, sequence: already.sequence });
      const sequence = (list.at(-1)?.sequence ?? 0) + 1;
      list.push({ sequence, billId: parseBillId(billId)!.billId, paymentId: paymentId.replace(/^0+/, ''), amountRials, reference, paidAt: body.data.paidAt ?? new Date().toISOString(), channel: body.data.channel ?? 'internet-bank' });
      persist();
      return reply.code(201).send({ recorded: true, duplicate: false, sequence });
    });

    // The billing protocol proper.
    await app.register(async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        const key = request.headers['x-api-key'];
        if (typeof key !== 'string' || key.length === 0) return reply.code(401).send({ error: 'missing x-api-key' });
      });

      api.get<{ Params: { billId: string } }>('/api/subscribers/:billId', async (request, reply) => {
        const subscriber = find(request.params.billId);
        return subscriber ? clone(subscriber) : notFound(reply);
      });

      api.post<{ Params: { billId: string } }>('/api/subscribers/:billId/final-debt', async (request, reply) => {
        const subscriber = find(request.params.billId);
        if (!subscriber) return notFound(reply);
        const body = FinalDebtBody.safeParse(request.body);
        if (!body.success) return badRequest(reply, 'finalReading must be a non-negative integer');
        const consumedKwh = body.data.finalReading - subscriber.connection.lastReading;
        if (consumedKwh < 0) return badRequest(reply, `finalReading ${body.data.finalReading} is below the last reading ${subscriber.connection.lastReading}`);
        const credit = state.creditRials[subscriber.billId] ?? 0;
        const debtRials = Math.max(0, priceTwinConsumptionRials(consumedKwh) + subscriber.debtRials - credit);
        return { debtRials, consumedKwh };
      });

      api.post<{ Params: { billId: string } }>('/api/subscribers/:billId/payments', async (request, reply) => {
        const subscriber = find(request.params.billId);
        if (!subscriber) return notFound(reply);
        const body = PaymentBody.safeParse(request.body);
        if (!body.success) return badRequest(reply, 'amountRials (positive integer) and reference are required');
        const { amountRials, reference } = body.data;
        const already = state.payments.find((p) => p.reference === reference);
        if (already) return already.billId === subscriber.billId ? { recorded: false, duplicate: true } : reply.code(409).send({ error: 'reference already used for another subscriber' });
        const toDebt = Math.min(amountRials, subscriber.debtRials);
        subscriber.debtRials -= toDebt;
        if (amountRials > toDebt) state.creditRials[subscriber.billId] = (state.creditRials[subscriber.billId] ?? 0) + amountRials - toDebt;
        state.payments.push({ billId: subscriber.billId, amountRials, reference, at: new Date().toISOString() });
        persist();
        return { recorded: true, duplicate: false };
      });

      api.get('/api/bank-payments', async (request, reply) => {
        const query = BankPaymentsQuery.safeParse(request.query);
        if (!query.success) return badRequest(reply, 'since and limit must be non-negative integers');
        const { since, limit } = query.data;
        const payments = (state.bankPayments ?? []).filter((p) => p.sequence > since).slice(0, limit);
        return { payments: clone(payments), next: payments.at(-1)?.sequence ?? since };
      });

      api.post<{ Params: { billId: string } }>('/api/subscribers/:billId/removal', async (request, reply) => {
        const subscriber = find(request.params.billId);
        if (!subscriber) return notFound(reply);
        const body = RemovalBody.safeParse(request.body);
        if (!body.success) return badRequest(reply, 'finalReading, removedAt and trackingCode are required');
        const { finalReading, removedAt, trackingCode } = body.data;
        const already = state.removals.find((r) => r.trackingCode === trackingCode && r.billId === subscriber.billId);
        if (already) return { recorded: false, duplicate: true };
        if (subscriber.connection.state !== 'active') return reply.code(409).send({ error: `connection is ${subscriber.connection.state}` });
        const consumedKwh = finalReading - subscriber.connection.lastReading;
        if (consumedKwh < 0) return badRequest(reply, `finalReading ${finalReading} is below the last reading ${subscriber.connection.lastReading}`);
        // The consumption up to the final reading is billed now; what was paid ahead settles it.
        const chargedRials = priceTwinConsumptionRials(consumedKwh);
        let debt = subscriber.debtRials + chargedRials;
        const credit = state.creditRials[subscriber.billId] ?? 0;
        const applied = Math.min(credit, debt);
        debt -= applied;
        state.creditRials[subscriber.billId] = credit - applied;
        subscriber.debtRials = debt;
        subscriber.connection.lastReading = finalReading;
        subscriber.connection.state = 'temporarily-removed';
        state.removals.push({ billId: subscriber.billId, finalReading, removedAt, trackingCode, consumedKwh, chargedRials });
        persist();
        return { recorded: true, duplicate: false };
      });
    });
  };

  return {
    plugin,
    subscribers: () => clone(state.subscribers),
  };
}
