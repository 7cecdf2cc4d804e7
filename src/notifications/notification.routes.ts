// Notification routes (thin): SMS templates for administrators with preview, the messages of a
// request with their delivery status, the failed-messages queue with retry, staff call tasks.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireRole } from '../identity/auth.ts';
import { actorId, type Principal, type Role } from '../identity/roles.ts';
import { ErrorResponse } from '../platform/http/openapi.ts';
import { TrackingCodeParams } from '../requests/request.schemas.ts';
import type { NotificationService } from './notification.service.ts';
import {
  MessageList, MessageParams, MessagesQuery, MessageView, PreviewTemplateBody, PutTemplateBody, ResolveTaskBody, SmsTemplateList, SmsTemplateView,
  TaskList, TaskParams, TasksQuery, TaskView, TemplateParams, TemplatePreview, TemplateVersions,
} from './notification.schemas.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const TEMPLATE_READERS: Role[] = ['admin', 'supervisor', 'auditor'];
const QUEUE_READERS: Role[] = ['admin', 'supervisor', 'auditor'];
const QUEUE_ACTORS: Role[] = ['admin', 'supervisor'];
const STAFF_MESSAGE_READERS: Role[] = ['clerk', 'finance', 'meter-tester', 'field-crew', 'supervisor', 'admin', 'auditor'];
const TASK_READERS: Role[] = ['clerk', 'supervisor', 'admin', 'auditor'];
const TASK_ACTORS: Role[] = ['clerk', 'supervisor'];

export function notificationRoutes(deps: { notifications: NotificationService; requestIdOf: (principal: Principal, trackingCode: string) => Promise<string> }) {
  const { notifications } = deps;
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/admin/sms-templates', {
      schema: { tags: ['notifications'], summary: 'الگوهای پیامک با پیش‌نمایش روی داده نمونه و تعداد بخش‌ها', response: { 200: SmsTemplateList, ...errors } },
    }, async (request) => {
      requireRole(request, TEMPLATE_READERS);
      return { templates: await notifications.listTemplates() };
    });

    r.put('/admin/sms-templates/:name', {
      schema: {
        tags: ['notifications'], summary: 'ویرایش متن یک الگوی پیامک (نسخه‌دار؛ فیلد ناشناخته پذیرفته نمی‌شود)',
        params: TemplateParams, body: PutTemplateBody, response: { 200: SmsTemplateView, ...errors },
      },
    }, async (request) => {
      const principal = requireRole(request, ['admin']);
      return notifications.putTemplate(request.params.name, request.body.text, actorId(principal));
    });

    r.delete('/admin/sms-templates/:name', {
      schema: { tags: ['notifications'], summary: 'بازگرداندن الگو به متن پیش‌فرض', params: TemplateParams, response: { 200: SmsTemplateView, ...errors } },
    }, async (request) => {
      const principal = requireRole(request, ['admin']);
      return notifications.resetTemplate(request.params.name, actorId(principal));
    });

    r.get('/admin/sms-templates/:name/versions', {
      schema: { tags: ['notifications'], summary: 'تاریخچه ویرایش‌های یک الگو (چه کسی، چه زمانی)', params: TemplateParams, response: { 200: TemplateVersions, ...errors } },
    }, async (request) => {
      requireRole(request, TEMPLATE_READERS);
      return { versions: await notifications.templateVersions(request.params.name) };
    });

    r.post('/admin/sms-templates/:name/preview', {
      schema: {
        tags: ['notifications'], summary: 'پیش‌نمایش یک الگو روی داده نمونه، با طول و تعداد بخش‌های پیامک',
        params: TemplateParams, body: PreviewTemplateBody, response: { 200: TemplatePreview, ...errors },
      },
    }, async (request) => {
      requireRole(request, ['admin']);
      return notifications.previewTemplate(request.params.name, request.body.text);
    });

    r.get('/requests/:trackingCode/messages', {
      schema: { tags: ['notifications'], summary: 'پیامک‌های یک درخواست با وضعیت تحویل و زمان‌ها', params: TrackingCodeParams, response: { 200: MessageList, ...errors } },
    }, async (request) => {
      const principal = requireRole(request, STAFF_MESSAGE_READERS);
      return { messages: await notifications.messagesOfRequest(await deps.requestIdOf(principal, request.params.trackingCode)) };
    });

    r.get('/admin/messages', {
      schema: { tags: ['notifications'], summary: 'پیامک‌ها بر پایه وضعیت تحویل (status=failed: صف پیامک‌های ناموفق)', querystring: MessagesQuery, response: { 200: MessageList, ...errors } },
    }, async (request) => {
      requireRole(request, QUEUE_READERS);
      return { messages: await notifications.listMessages({ ...(request.query.status ? { status: request.query.status } : {}), limit: request.query.limit }) };
    });

    r.post('/admin/messages/:id/retry', {
      schema: { tags: ['notifications'], summary: 'ارسال دوباره پیامک ناموفق (به صورت پیام تازه)', params: MessageParams, response: { 201: MessageView, ...errors } },
    }, async (request, reply) => {
      const principal = requireRole(request, QUEUE_ACTORS);
      return reply.status(201).send(await notifications.retry(request.params.id, actorId(principal)));
    });

    r.get('/staff/tasks', {
      schema: { tags: ['notifications'], summary: 'کارهای کارکنان: تماس تلفنی با متقاضیانی که پیامک به آنان نرسید', querystring: TasksQuery, response: { 200: TaskList, ...errors } },
    }, async (request) => {
      const principal = requireRole(request, TASK_READERS);
      return { tasks: await notifications.listTasks(principal.roles, request.query.status ?? 'open') };
    });

    r.post('/staff/tasks/:id/resolve', {
      schema: {
        tags: ['notifications'], summary: 'ثبت نتیجه تماس: reached مهلت متقاضی را از سر می‌گیرد؛ unreachable کار را باز نگه می‌دارد',
        params: TaskParams, body: ResolveTaskBody, response: { 200: TaskView, ...errors },
      },
    }, async (request) => {
      const principal = requireRole(request, TASK_ACTORS);
      const role = principal.roles.find((x) => TASK_ACTORS.includes(x)) ?? principal.roles[0]!;
      return notifications.resolveTask(request.params.id, { outcome: request.body.outcome, note: request.body.note ?? null }, { actorId: actorId(principal), role });
    });
  };
}
