// Persian labels for the closed sets the API speaks in English codes.
export { ROLE_TITLES_FA } from '../../../src/identity/roles.ts';
export { PRECONDITION_FA, STATE_INFO, TRANSITIONS, REQUEST_STATES, type RequestAction, type RequestState } from '../../../src/requests/transitions.ts';

export const DAMAGE_TITLES: Record<string, string> = {
  'meter-single-phase': 'کنتور تک‌فاز',
  'meter-three-phase': 'کنتور سه‌فاز',
  seal: 'پلمب',
  'meter-box': 'جعبه کنتور',
  'current-transformer': 'ترانسفورماتور جریان',
  cable: 'کابل سرویس',
};

export const CHANNEL_TITLES: Record<string, string> = {
  web: 'سایت شرکت',
  app: 'برق من',
  pishkhan: 'دفتر پیشخوان',
  counter: 'حضوری',
};

export const METER_RESULT_TITLES: Record<string, string> = {
  ok: 'سالم',
  faulty: 'معیوب',
  tampered: 'دستکاری‌شده',
  damaged: 'آسیب‌دیده',
};

export const NOTIFICATION_KIND_TITLES: Record<string, string> = {
  warning50: 'هشدار ۵۰٪',
  warning75: 'هشدار ۷۵٪',
  breach: 'تأخیر',
  escalation: 'ارجاع',
  reminder: 'یادآوری',
};
