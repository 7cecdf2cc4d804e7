// Another instance of the SLA engine over its own database connection, as a second worker
// process would run it: its own calendar cache, agreements, outbox and SMS client.
import type { Kysely } from 'kysely';
import { createNotificationService } from '../../src/notifications/notification.service.ts';
import { createKavenegarClient } from '../../src/notifications/sms.adapter.ts';
import type { Database } from '../../src/platform/database/schema.ts';
import { createOutbox } from '../../src/platform/outbox.ts';
import { OPEN_STATES } from '../../src/requests/transitions.ts';
import { createAgreementService } from '../../src/sla/agreement.service.ts';
import { createCalendarService } from '../../src/sla/calendar.service.ts';
import { createSlaService } from '../../src/sla/sla.service.ts';
import type { TestApp } from './app.ts';

export function createSlaInstance(t: TestApp, db: Kysely<Database>) {
  const log = t.app.log;
  const clock = t.clock;
  const outbox = createOutbox({ db, clock, log });
  const notifications = createNotificationService({ db, clock, log, outbox, sms: createKavenegarClient({ baseUrl: () => `${t.baseUrl}/__twins/sms`, apiKey: 'second-worker', sender: '20001521' }) });
  const agreements = createAgreementService({ db, clock });
  const calendar = createCalendarService({ db, clock, openStates: OPEN_STATES });
  const sla = createSlaService({ db, clock, calendar, agreements, notifications, links: t.app.barq.links, openStates: OPEN_STATES, log });
  sla.connect(t.app.barq.requests.slaLifecycle);
  return sla;
}
