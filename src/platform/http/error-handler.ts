// The central error handler: every failure leaves the API as {error: {code, message, details}}
// with a Persian message and a stable code; unknown errors are logged and answered with a
// generic 500, never a stack trace.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorBody, type ErrorCode, ERRORS } from '../errors.ts';

const FIELD_NAMES_FA: Record<string, string> = {
  service: 'خدمت',
  channel: 'درگاه ثبت',
  billId: 'شناسه قبض',
  relation: 'نسبت با مالک',
  applicant: 'مشخصات متقاضی',
  personType: 'نوع شخص',
  nationalCode: 'کد ملی',
  nationalId: 'شناسه ملی',
  firstName: 'نام',
  lastName: 'نام خانوادگی',
  name: 'نام',
  mobile: 'شماره همراه',
  reason: 'علت درخواست',
  code: 'کد',
  username: 'نام کاربری',
  password: 'گذرواژه',
  action: 'اقدام',
  amountDueId: 'شناسه مبلغ',
  powerOfAttorney: 'وکالت‌نامه',
  consents: 'رضایت بهره‌برداران',
  result: 'نتیجه آزمایش',
  reading: 'شماره کنتور',
  finalReading: 'شماره نهایی کنتور',
  equipmentCondition: 'وضعیت تجهیزات',
  scheduledFor: 'زمان جمع‌آوری',
  page: 'شماره صفحه',
  state: 'وضعیت',
};

interface ValidationIssue {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldLabel(path: string): string {
  const parts = path.split('/').filter(Boolean);
  const last = [...parts].reverse().find((p) => !/^\d+$/.test(p)) ?? '';
  return FIELD_NAMES_FA[last] ?? last;
}

function fromValidation(issues: ValidationIssue[], context: string) {
  const first = issues[0]!;
  const custom = first.params?.['params'] as { code?: ErrorCode } | undefined;
  const field = first.instancePath.split('/').filter(Boolean).join('.') || context;
  const details = {
    field,
    issues: issues.map((i) => ({ field: i.instancePath.split('/').filter(Boolean).join('.') || context, message: i.message })),
  };
  if (custom?.code && custom.code in ERRORS) {
    return { status: ERRORS[custom.code].status, body: errorBody(custom.code, first.message, details) };
  }
  const label = fieldLabel(first.instancePath);
  const message = label ? `مقدار «${label}» درست نیست: ${first.message ?? ''}`.trim() : ERRORS.VALIDATION_FAILED.message;
  return { status: 400, body: errorBody('VALIDATION_FAILED', message, details) };
}

/** Installs the one error handler and the 404 handler on an app. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.status).send(errorBody(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const { status, body } = fromValidation(error.validation as ValidationIssue[], (error as FastifyError).validationContext ?? '');
      return reply.status(status).send(body);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const { status, body } = fromValidation(fastifyError.validation as ValidationIssue[], fastifyError.validationContext ?? '');
      return reply.status(status).send(body);
    }
    switch (fastifyError.code) {
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.status(400).send(errorBody('VALIDATION_FAILED', 'بدنه درخواست JSON معتبر نیست.'));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).send(errorBody('PAYLOAD_TOO_LARGE'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send(errorBody('UNSUPPORTED_MEDIA_TYPE'));
      default:
        break;
    }
    if (fastifyError.statusCode === 429) return reply.status(429).send(errorBody('TOO_MANY_REQUESTS'));
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return reply.status(fastifyError.statusCode).send(errorBody('VALIDATION_FAILED'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('INTERNAL'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('NOT_FOUND'));
  });
}
