// Notifications: Persian SMS rendered from templates, written to the outbox inside the caller's
// transaction and sent after commit through the SMS provider (real client or its twin).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/database/schema.ts';
import type { Outbox } from '../platform/outbox.ts';
import type { SmsProvider } from './sms.adapter.ts';
import { renderTemplate, SMS_TEMPLATES, type SmsTemplateName } from './templates.ts';

export interface SmsMessage {
  to: string;
  template: SmsTemplateName;
  data: Record<string, string | number>;
  requestId?: string | null;
}

export type NotificationService = ReturnType<typeof createNotificationService>;

export function createNotificationService(deps: { outbox: Outbox; sms: SmsProvider }) {
  const { outbox, sms } = deps;

  outbox.register('sms', async (message) => {
    const payload = message.payload as { to: string; text: string };
    // The outbox id is the provider's de-duplication key: a retry after a crash does not double-send.
    const result = await sms.send({ to: payload.to, text: payload.text, localId: message.id });
    return { providerMessageId: result.providerMessageId };
  });

  return {
    /** Renders a template and writes the SMS to the outbox in the caller's transaction. */
    enqueueSms(trx: Transaction<Database> | Kysely<Database>, message: SmsMessage): Promise<string> {
      const text = renderTemplate(SMS_TEMPLATES[message.template].text, message.data);
      return outbox.add(trx, { kind: 'sms', requestId: message.requestId ?? null, payload: { to: message.to, template: message.template, text } });
    },
    /** Sends the given messages now instead of on the worker's next tick (one-time codes). */
    sendNow: (ids: string[]) => outbox.dispatch({ ids }),
  };
}
