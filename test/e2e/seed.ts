// Sets the scene for the reports journey through the API with the demo accounts: requests filed
// on the web and at a Pishkhan office and walked to completed, archived, withdrawn or left open,
// so the dashboard, the agreement review and the audit log have figures to show.
import { act, api, applicantToken, staffToken as login, type Subscriber } from './support.ts';

// One sign-in per demo account for the whole journey: the login endpoint is rate-limited.
const tokens = new Map<string, Promise<string>>();
export function staffToken(username: string): Promise<string> {
  if (!tokens.has(username)) tokens.set(username, login(username));
  return tokens.get(username)!;
}

export type Outcome = 'submitted' | 'awaiting-payment' | 'completed' | 'archived' | 'withdrawn';

export interface Seeded {
  code: string;
  mobile: string;
  outcome: Outcome;
}

async function payAll(code: string, applicant: string) {
  const view = await api<{ amountsDue: Array<{ id: string; paid: boolean }> }>('GET', `/api/v1/requests/${code}`, undefined, applicant);
  for (const due of view.amountsDue.filter((d) => !d.paid)) {
    const { paymentUrl } = await api<{ paymentUrl: string }>('POST', `/api/v1/requests/${code}/payments`, { amountDueId: due.id }, applicant);
    await api('POST', new URL(paymentUrl).pathname, { outcome: 'success' });
  }
}

/** Files a request for `s` (on the web, or by the demo Pishkhan operator) and walks it to `outcome`. */
export async function seedRequest(s: Subscriber, outcome: Outcome, channel: 'web' | 'pishkhan' = 'web'): Promise<Seeded> {
  const applicant = await applicantToken(s.owner.mobile);
  const filer = channel === 'pishkhan' ? await staffToken('pishkhan-operator') : applicant;
  const { trackingCode: code } = await api<{ trackingCode: string }>(
    'POST',
    '/api/v1/requests',
    { service: 'temporary-removal', channel, billId: s.billId, relation: 'owner', applicant: { personType: 'natural', nationalCode: s.owner.nationalCode, firstName: s.owner.firstName, lastName: s.owner.lastName, mobile: s.owner.mobile }, reason: 'تخلیه ملک' },
    filer,
  );
  if (outcome === 'submitted') return { code, mobile: s.owner.mobile, outcome };
  if (outcome === 'withdrawn') {
    await act(code, applicant, 'withdraw', { reason: 'منصرف شدم' });
    return { code, mobile: s.owner.mobile, outcome };
  }
  const clerk = await staffToken('clerk');
  await act(code, clerk, 'quote');
  if (outcome === 'awaiting-payment') return { code, mobile: s.owner.mobile, outcome };
  await payAll(code, applicant);
  await act(code, await staffToken('meter-tester'), 'record-meter-test', { result: 'ok', reading: 4200 });
  await act(code, clerk, 'announce-conditions', { notes: 'کنتور سالم است.' });
  if (outcome === 'archived') {
    await act(code, applicant, 'refuse-conditions');
    return { code, mobile: s.owner.mobile, outcome };
  }
  await act(code, applicant, 'accept-conditions');
  await act(code, clerk, 'schedule-removal', { scheduledFor: new Date(Date.now() + 86_400_000).toISOString(), crew: 'اکیپ ۱' });
  await act(code, await staffToken('field-crew'), 'record-removal', { finalReading: 4300, equipmentCondition: 'intact' });
  await payAll(code, applicant);
  return { code, mobile: s.owner.mobile, outcome };
}

/** The survey token of the SMS invitation sent to `mobile` for request `code`. */
export async function surveyToken(mobile: string, code: string): Promise<string> {
  const { messages } = await api<{ messages: Array<{ text: string }> }>('GET', `/__twins/sms/messages?to=${mobile}`);
  const toAscii = (t: string) => t.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
  const invitation = messages.find((m) => m.text.includes('/survey/') && toAscii(m.text).includes(code));
  const token = invitation?.text.match(/\/survey\/([A-Za-z0-9_-]{20,64})/)?.[1];
  if (!token) throw new Error(`no survey invitation for ${code} in the SMS to ${mobile}`);
  return token;
}
