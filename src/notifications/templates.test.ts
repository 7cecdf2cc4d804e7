// Templates: every one renders for its sample data, its SMS length is reported (Persian text is
// UCS-2: 70 characters in one segment, 67 per segment when concatenated), and an edited text
// that names a field the template does not have is refused, naming the field.
import { describe, expect, it } from 'vitest';
import { renderTemplate, sampleOf, smsLength, SMS_TEMPLATES, TEMPLATE_NAMES, templateTextProblem, type SmsTemplateName } from './templates.ts';

/** [UCS-2 characters, segments] of each template rendered with its sample data. */
const EXPECTED: Record<SmsTemplateName, [number, number]> = {
  otp: [68, 1],
  'request-registered': [191, 3],
  'quote-issued': [199, 3],
  'payment-received': [119, 2],
  'meter-test-scheduled': [130, 2],
  'conditions-announced': [262, 4],
  'removal-scheduled': [87, 2],
  'final-bill': [128, 2],
  completed: [111, 2],
  archived: [89, 2],
  withdrawn: [79, 2],
  rejected: [52, 1],
  'payment-reminder': [155, 3],
  'acceptance-reminder': [167, 3],
  'settlement-reminder': [128, 2],
  'sla-breach-apology': [122, 2],
  'survey-invitation': [149, 3],
};

describe('SMS templates', () => {
  it('covers every message of the lifecycle', () => {
    expect(TEMPLATE_NAMES).toEqual(Object.keys(EXPECTED));
  });

  it.each(TEMPLATE_NAMES)('%s renders for its sample: no placeholder left, every field used is declared', (name) => {
    const rendered = renderTemplate(SMS_TEMPLATES[name].text, sampleOf(name));
    expect(rendered).not.toMatch(/\{\w+\}/);
    expect(templateTextProblem(name, SMS_TEMPLATES[name].text)).toBeNull();
    // Numbers read in Persian digits; links keep their ASCII digits.
    expect(rendered.replace(/https?:\/\/\S+/g, '')).not.toMatch(/[0-9]/);
  });

  it('reports the UCS-2 length and segments of every template', () => {
    const table = TEMPLATE_NAMES.map((name) => {
      const length = smsLength(renderTemplate(SMS_TEMPLATES[name].text, sampleOf(name)));
      return { name, encoding: length.encoding, characters: length.characters, segments: length.segments };
    });
    console.table(table);
    for (const row of table) {
      expect(row.encoding, row.name).toBe('UCS-2');
      expect([row.characters, row.segments], row.name).toEqual(EXPECTED[row.name]);
    }
    // The sign-in code is the most frequent message: one segment.
    expect(table.find((r) => r.name === 'otp')!.segments).toBe(1);
  });

  it('refuses an unknown field, naming it in Persian, and a text without a required field', () => {
    expect(templateTextProblem('quote-issued', 'درخواست {trackingCode}: مبلغ {totl}')).toEqual({
      field: 'totl',
      messageFa: 'فیلد «{totl}» در الگوی «اعلام هزینه» شناخته‌شده نیست. فیلدهای مجاز: {trackingCode}، {total}، {payUrl}',
    });
    expect(templateTextProblem('otp', 'کد شما آماده است')).toMatchObject({ field: 'code' });
    expect(templateTextProblem('withdrawn', '   ')).toMatchObject({ messageFa: 'متن الگو نمی‌تواند خالی باشد.' });
    expect(templateTextProblem('withdrawn', 'درخواست {trackingCode} لغو شد.'.repeat(30))?.messageFa).toContain('بخش');
  });
});

describe('smsLength', () => {
  it.each([
    // GSM-7: 160 in one segment, 153 per segment beyond.
    { text: 'a'.repeat(160), encoding: 'GSM-7', characters: 160, segments: 1 },
    { text: 'a'.repeat(161), encoding: 'GSM-7', characters: 161, segments: 2 },
    { text: 'a'.repeat(306), encoding: 'GSM-7', characters: 306, segments: 2 },
    { text: 'a'.repeat(307), encoding: 'GSM-7', characters: 307, segments: 3 },
    // The extension table (€, {, …) costs two septets: 80 × € = 160.
    { text: '€'.repeat(80), encoding: 'GSM-7', characters: 160, segments: 1 },
    { text: '€'.repeat(81), encoding: 'GSM-7', characters: 162, segments: 2 },
    // UCS-2 (any Persian letter or digit): 70 in one segment, 67 per segment beyond.
    { text: 'ب'.repeat(70), encoding: 'UCS-2', characters: 70, segments: 1 },
    { text: 'ب'.repeat(71), encoding: 'UCS-2', characters: 71, segments: 2 },
    { text: 'ب'.repeat(134), encoding: 'UCS-2', characters: 134, segments: 2 },
    { text: 'ب'.repeat(135), encoding: 'UCS-2', characters: 135, segments: 3 },
    // One Persian character turns a Latin text into UCS-2.
    { text: 'a'.repeat(70) + '۱', encoding: 'UCS-2', characters: 71, segments: 2 },
  ])('$characters characters of $encoding → $segments', ({ text, encoding, characters, segments }) => {
    expect(smsLength(text)).toEqual({ encoding, characters, segments });
  });
});
