// The lifecycle table checked against an independent, hand-written reading of DESIGN §1 and
// SLA §3: every (state, action, role) combination, the order of refusals, guards, in-state
// actions, the zero final bill, ways out of every state and availableActions.
import { describe, expect, it } from 'vitest';
import { STAFF_ROLES, type Role } from '../identity/roles.ts';
import { availableActions, decide, OPEN_STATES, REQUEST_ACTIONS, REQUEST_STATES, STATE_INFO, type RequestState } from './transitions.ts';

type S = RequestState;
const ALL_ROLES: readonly Role[] = [...STAFF_ROLES, 'applicant', 'system'];

/** Hand-written expectations (DESIGN §1), deliberately not derived from TRANSITIONS. */
const EXPECTED: Record<string, { from: S[]; to: S | 'same'; roles: Role[]; reason?: true; guard?: 'quote-unpaid' | 'meter-test-missing' | 'settlement-unpaid'; whenNothingDue?: S }> = {
  quote: { from: ['submitted'], to: 'awaiting-payment', roles: ['clerk', 'supervisor'] },
  'confirm-payment': { from: ['awaiting-payment'], to: 'meter-test', roles: ['system', 'finance'], guard: 'quote-unpaid' },
  'record-meter-test': { from: ['meter-test'], to: 'same', roles: ['meter-tester'] },
  'announce-conditions': { from: ['meter-test'], to: 'awaiting-acceptance', roles: ['clerk', 'supervisor'], guard: 'meter-test-missing' },
  'accept-conditions': { from: ['awaiting-acceptance'], to: 'removal-scheduled', roles: ['applicant', 'pishkhan-operator', 'clerk'] },
  'refuse-conditions': { from: ['awaiting-acceptance'], to: 'archived', roles: ['applicant', 'pishkhan-operator', 'clerk'] },
  'schedule-removal': { from: ['removal-scheduled'], to: 'same', roles: ['clerk', 'supervisor'] },
  'record-removal': { from: ['removal-scheduled'], to: 'awaiting-settlement', roles: ['field-crew'], whenNothingDue: 'completed' },
  settle: { from: ['awaiting-settlement'], to: 'completed', roles: ['system', 'finance'], guard: 'settlement-unpaid' },
  withdraw: {
    from: ['submitted', 'awaiting-payment', 'meter-test', 'awaiting-acceptance', 'removal-scheduled'],
    to: 'withdrawn',
    roles: ['applicant', 'pishkhan-operator', 'clerk'],
  },
  reject: { from: ['submitted', 'meter-test'], to: 'rejected', roles: ['clerk', 'supervisor'], reason: true },
  archive: { from: ['awaiting-payment', 'awaiting-acceptance'], to: 'archived', roles: ['system', 'supervisor'], reason: true },
};

const TERMINAL: S[] = ['completed', 'archived', 'withdrawn', 'rejected'];
const ALL_FACTS = { quotePaid: true, meterTestRecorded: true, settlementPaid: true };

const combos = REQUEST_STATES.flatMap((state) => Object.keys(EXPECTED).flatMap((action) => ALL_ROLES.map((role) => ({ state, action, role }))));

describe('the expectation table covers the real vocabulary', () => {
  it('knows every action and every state', () => {
    expect([...REQUEST_ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(REQUEST_STATES).toHaveLength(10);
    expect(REQUEST_STATES.filter((s) => STATE_INFO[s].terminal).sort()).toEqual([...TERMINAL].sort());
    expect([...OPEN_STATES].sort()).toEqual(REQUEST_STATES.filter((s) => !TERMINAL.includes(s)).sort());
  });
});

describe('decide, every (state, action, role)', () => {
  it.each(combos)('$action in $state by $role (all facts, with reason)', ({ state, action, role }) => {
    const e = EXPECTED[action]!;
    const decision = decide({ state, action, roles: [role], facts: ALL_FACTS, reason: 'علت آزمایشی' });
    if (!e.roles.includes(role)) expect(decision).toEqual({ ok: false, error: 'role-forbidden' });
    else if (!e.from.includes(state)) expect(decision).toEqual({ ok: false, error: 'invalid-transition' });
    else {
      const to = e.to === 'same' ? state : e.to;
      expect(decision).toEqual({ ok: true, to, changesState: to !== state });
    }
  });

  it.each(combos)('$action in $state by $role (no facts, no reason)', ({ state, action, role }) => {
    const e = EXPECTED[action]!;
    const decision = decide({ state, action, roles: [role] });
    if (!e.roles.includes(role)) expect(decision).toEqual({ ok: false, error: 'role-forbidden' });
    else if (!e.from.includes(state)) expect(decision).toEqual({ ok: false, error: 'invalid-transition' });
    else if (e.reason) expect(decision).toEqual({ ok: false, error: 'reason-required' });
    else if (e.guard) expect(decision).toEqual({ ok: false, error: 'precondition', precondition: e.guard });
    else {
      const to = e.to === 'same' ? state : e.to;
      expect(decision).toEqual({ ok: true, to, changesState: to !== state });
    }
  });
});

describe('decide, refusals and special cases', () => {
  it('answers unknown-action before anything else, for every state and role', () => {
    for (const state of REQUEST_STATES) {
      for (const action of ['', 'submit', 'delete', 'QUOTE', 'quote ', 'toString', '__proto__', 'constructor']) {
        for (const role of ALL_ROLES) expect(decide({ state, action, roles: [role], facts: ALL_FACTS, reason: 'x' })).toEqual({ ok: false, error: 'unknown-action' });
      }
    }
  });

  it('refuses a caller with no roles', () => {
    expect(decide({ state: 'submitted', action: 'quote', roles: [] })).toEqual({ ok: false, error: 'role-forbidden' });
  });

  it('lets a caller with several roles act through any one of them', () => {
    expect(decide({ state: 'submitted', action: 'quote', roles: ['auditor', 'supervisor'] })).toEqual({ ok: true, to: 'awaiting-payment', changesState: true });
    expect(decide({ state: 'submitted', action: 'quote', roles: ['auditor', 'admin'] })).toEqual({ ok: false, error: 'role-forbidden' });
  });

  it('checks the role (403) before the state (409)', () => {
    expect(decide({ state: 'completed', action: 'quote', roles: ['field-crew'] })).toEqual({ ok: false, error: 'role-forbidden' });
    expect(decide({ state: 'completed', action: 'quote', roles: ['clerk'] })).toEqual({ ok: false, error: 'invalid-transition' });
  });

  it('requires a non-blank reason to reject or archive, and checks the state first', () => {
    for (const reason of [undefined, null, '', '   ', '\n\t']) {
      expect(decide({ state: 'submitted', action: 'reject', roles: ['clerk'], reason })).toEqual({ ok: false, error: 'reason-required' });
      expect(decide({ state: 'meter-test', action: 'reject', roles: ['supervisor'], reason })).toEqual({ ok: false, error: 'reason-required' });
      expect(decide({ state: 'awaiting-payment', action: 'archive', roles: ['system'], reason })).toEqual({ ok: false, error: 'reason-required' });
      expect(decide({ state: 'awaiting-acceptance', action: 'archive', roles: ['supervisor'], reason })).toEqual({ ok: false, error: 'reason-required' });
    }
    expect(decide({ state: 'completed', action: 'reject', roles: ['clerk'] })).toEqual({ ok: false, error: 'invalid-transition' });
    expect(decide({ state: 'submitted', action: 'reject', roles: ['clerk'], reason: 'مالک نیست' })).toEqual({ ok: true, to: 'rejected', changesState: true });
    expect(decide({ state: 'awaiting-acceptance', action: 'archive', roles: ['system'], reason: 'مهلت پاسخ گذشت' })).toEqual({ ok: true, to: 'archived', changesState: true });
  });

  it('does not announce conditions before the meter test is recorded', () => {
    expect(decide({ state: 'meter-test', action: 'announce-conditions', roles: ['clerk'], facts: {} })).toEqual({ ok: false, error: 'precondition', precondition: 'meter-test-missing' });
    expect(decide({ state: 'meter-test', action: 'announce-conditions', roles: ['clerk'], facts: { meterTestRecorded: false, quotePaid: true } })).toEqual({
      ok: false,
      error: 'precondition',
      precondition: 'meter-test-missing',
    });
    expect(decide({ state: 'meter-test', action: 'announce-conditions', roles: ['clerk'], facts: { meterTestRecorded: true } })).toEqual({ ok: true, to: 'awaiting-acceptance', changesState: true });
  });

  it('confirms payment only when the quote is paid, and settles only when the final bill is paid', () => {
    expect(decide({ state: 'awaiting-payment', action: 'confirm-payment', roles: ['system'], facts: { quotePaid: false } })).toEqual({ ok: false, error: 'precondition', precondition: 'quote-unpaid' });
    expect(decide({ state: 'awaiting-payment', action: 'confirm-payment', roles: ['system'], facts: { quotePaid: true } })).toEqual({ ok: true, to: 'meter-test', changesState: true });
    expect(decide({ state: 'awaiting-settlement', action: 'settle', roles: ['finance'], facts: { settlementPaid: false } })).toEqual({ ok: false, error: 'precondition', precondition: 'settlement-unpaid' });
    expect(decide({ state: 'awaiting-settlement', action: 'settle', roles: ['finance'], facts: { settlementPaid: true } })).toEqual({ ok: true, to: 'completed', changesState: true });
  });

  it('skips settlement when the final bill is zero, and only for record-removal', () => {
    expect(decide({ state: 'removal-scheduled', action: 'record-removal', roles: ['field-crew'], facts: { nothingDue: true } })).toEqual({ ok: true, to: 'completed', changesState: true });
    expect(decide({ state: 'removal-scheduled', action: 'record-removal', roles: ['field-crew'], facts: { nothingDue: false } })).toEqual({ ok: true, to: 'awaiting-settlement', changesState: true });
    expect(decide({ state: 'removal-scheduled', action: 'record-removal', roles: ['field-crew'] })).toEqual({ ok: true, to: 'awaiting-settlement', changesState: true });
    // nothingDue changes nowhere else.
    expect(decide({ state: 'submitted', action: 'quote', roles: ['clerk'], facts: { nothingDue: true } })).toEqual({ ok: true, to: 'awaiting-payment', changesState: true });
    expect(decide({ state: 'removal-scheduled', action: 'withdraw', roles: ['applicant'], facts: { nothingDue: true } })).toEqual({ ok: true, to: 'withdrawn', changesState: true });
    expect(decide({ state: 'removal-scheduled', action: 'schedule-removal', roles: ['clerk'], facts: { nothingDue: true } })).toEqual({ ok: true, to: 'removal-scheduled', changesState: false });
  });

  it('keeps the state for in-step records', () => {
    expect(decide({ state: 'meter-test', action: 'record-meter-test', roles: ['meter-tester'] })).toEqual({ ok: true, to: 'meter-test', changesState: false });
    expect(decide({ state: 'removal-scheduled', action: 'schedule-removal', roles: ['supervisor'] })).toEqual({ ok: true, to: 'removal-scheduled', changesState: false });
  });

  it('does not let the applicant withdraw once the connection is removed', () => {
    expect(decide({ state: 'awaiting-settlement', action: 'withdraw', roles: ['applicant'] })).toEqual({ ok: false, error: 'invalid-transition' });
    expect(decide({ state: 'completed', action: 'withdraw', roles: ['applicant'] })).toEqual({ ok: false, error: 'invalid-transition' });
    expect(decide({ state: 'removal-scheduled', action: 'withdraw', roles: ['applicant'] })).toEqual({ ok: true, to: 'withdrawn', changesState: true });
  });
});

describe('the shape of the lifecycle', () => {
  /** Every state a legal decision can lead to from `state`, by any role, under any facts. */
  function exits(state: S): Set<S> {
    const out = new Set<S>();
    for (const action of REQUEST_ACTIONS) {
      for (const nothingDue of [false, true]) {
        const d = decide({ state, action, roles: ALL_ROLES, facts: { ...ALL_FACTS, nothingDue }, reason: 'علت' });
        if (d.ok && d.changesState) out.add(d.to);
      }
    }
    return out;
  }

  it('gives every non-terminal state at least one way out', () => {
    for (const state of REQUEST_STATES.filter((s) => !TERMINAL.includes(s))) expect(exits(state).size, state).toBeGreaterThan(0);
  });

  it('gives every terminal state no way out and no action at all', () => {
    for (const state of TERMINAL) {
      expect(exits(state).size, state).toBe(0);
      for (const action of REQUEST_ACTIONS) expect(decide({ state, action, roles: ALL_ROLES, facts: ALL_FACTS, reason: 'علت' }), `${action} in ${state}`).toEqual({ ok: false, error: 'invalid-transition' });
      expect(availableActions(state, ALL_ROLES)).toEqual([]);
    }
  });

  it('reaches every state from submitted, and a terminal state from every state', () => {
    const seen = new Set<S>(['submitted']);
    const queue: S[] = ['submitted'];
    while (queue.length) for (const next of exits(queue.shift()!)) if (!seen.has(next)) {
      seen.add(next);
      queue.push(next);
    }
    expect([...seen].sort()).toEqual([...REQUEST_STATES].sort());
    for (const state of REQUEST_STATES) {
      const reach = new Set<S>([state]);
      const q: S[] = [state];
      while (q.length) for (const next of exits(q.shift()!)) if (!reach.has(next)) {
        reach.add(next);
        q.push(next);
      }
      expect([...reach].some((s) => TERMINAL.includes(s)), state).toBe(true);
    }
  });

  it('walks the happy path of SLA §3 in order', () => {
    const path: Array<[string, Role, S]> = [
      ['quote', 'clerk', 'awaiting-payment'],
      ['confirm-payment', 'system', 'meter-test'],
      ['record-meter-test', 'meter-tester', 'meter-test'],
      ['announce-conditions', 'clerk', 'awaiting-acceptance'],
      ['accept-conditions', 'applicant', 'removal-scheduled'],
      ['schedule-removal', 'clerk', 'removal-scheduled'],
      ['record-removal', 'field-crew', 'awaiting-settlement'],
      ['settle', 'system', 'completed'],
    ];
    let state: S = 'submitted';
    for (const [action, role, to] of path) {
      const d = decide({ state, action, roles: [role], facts: ALL_FACTS });
      expect(d, `${action} from ${state}`).toEqual({ ok: true, to, changesState: to !== state });
      state = to;
    }
  });
});

describe('availableActions', () => {
  it('matches hand-picked work-queue cases', () => {
    expect(availableActions('submitted', ['clerk'])).toEqual(['quote', 'withdraw', 'reject']);
    expect(availableActions('submitted', ['applicant'])).toEqual(['withdraw']);
    expect(availableActions('submitted', ['field-crew'])).toEqual([]);
    expect(availableActions('awaiting-payment', ['supervisor'])).toEqual(['archive']);
    expect(availableActions('awaiting-payment', ['finance'])).toEqual(['confirm-payment']);
    expect(availableActions('meter-test', ['meter-tester'])).toEqual(['record-meter-test']);
    expect(availableActions('meter-test', ['clerk'])).toEqual(['announce-conditions', 'withdraw', 'reject']);
    expect(availableActions('awaiting-acceptance', ['applicant'])).toEqual(['accept-conditions', 'refuse-conditions', 'withdraw']);
    expect(availableActions('awaiting-acceptance', ['pishkhan-operator'])).toEqual(['accept-conditions', 'refuse-conditions', 'withdraw']);
    expect(availableActions('removal-scheduled', ['field-crew'])).toEqual(['record-removal']);
    expect(availableActions('removal-scheduled', ['clerk', 'field-crew'])).toEqual(['schedule-removal', 'record-removal', 'withdraw']);
    expect(availableActions('awaiting-settlement', ['applicant'])).toEqual([]);
    expect(availableActions('awaiting-settlement', ['finance'])).toEqual(['settle']);
    expect(availableActions('removal-scheduled', ['auditor', 'admin'])).toEqual([]);
  });

  it('lists exactly the actions whose role and state checks pass (facts and reason aside)', () => {
    for (const state of REQUEST_STATES) {
      for (const role of ALL_ROLES) {
        const expected = Object.entries(EXPECTED)
          .filter(([, e]) => e.roles.includes(role) && e.from.includes(state))
          .map(([a]) => a)
          .sort();
        expect([...availableActions(state, [role])].sort(), `${state} / ${role}`).toEqual(expected);
      }
    }
  });
});
