// A Jalali (Solar Hijri) date or date-time input over react-multi-date-picker's Persian calendar.
// Values: date-only → Jalali 'YYYY-MM-DD' (ASCII digits, as the API takes it); date-time → an ISO
// instant. Wall-clock times are Tehran's (+03:30, no daylight saving since 1401), whatever the
// browser's own time zone.
import DatePickerImport, { DateObject } from 'react-multi-date-picker';
import TimePickerImport from 'react-multi-date-picker/plugins/time_picker';
import persianImport from 'react-date-object/calendars/persian';
import persianFaImport from 'react-date-object/locales/persian_fa';
import { useEffect, useState } from 'react';
import { parseJalaliDate, toJalaliDateString } from './format.ts';

// These packages ship CommonJS with `__esModule`; the bundler may hand over the exports object
// rather than its `default`, so take `default` when it is there.
const unwrap = <T,>(m: T): T => ((m as { default?: T }).default ?? m);
const DatePicker = unwrap(DatePickerImport);
const TimePicker = unwrap(TimePickerImport);
const persian = unwrap(persianImport);
const persianFa = unwrap(persianFaImport);

const pad = (n: number) => String(n).padStart(2, '0');
const TEHRAN_OFFSET_MS = 3.5 * 3_600_000;

function toDateObject(value: string | undefined, withTime: boolean): DateObject | null {
  if (!value) return null;
  if (!withTime) {
    const parsed = parseJalaliDate(value);
    return parsed ? new DateObject({ calendar: persian, locale: persianFa, year: parsed.jy, month: parsed.jm, day: parsed.jd }) : null;
  }
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return null;
  const [jy, jm, jd] = toJalaliDateString(instant).split('-').map(Number);
  const wall = new Date(instant.getTime() + TEHRAN_OFFSET_MS);
  return new DateObject({ calendar: persian, locale: persianFa, year: jy!, month: jm!, day: jd!, hour: wall.getUTCHours(), minute: wall.getUTCMinutes() });
}

/** Tehran wall-clock Jalali date and time → ISO instant. */
export function tehranToIso(jalaliDate: string, hour: number, minute: number): string | null {
  const parsed = parseJalaliDate(jalaliDate);
  if (!parsed) return null;
  return new Date(Date.parse(`${parsed.gregorian}T${pad(hour)}:${pad(minute)}:00+03:30`)).toISOString();
}

export interface JalaliInputProps {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  withTime?: boolean;
  placeholder?: string;
  disabled?: boolean;
  minDate?: Date;
  'aria-invalid'?: boolean | 'true' | 'false';
}

/**
 * The text box of a date-only picker. The picker's own parsing of typed text reads it as a
 * Gregorian date (1405/09/01 became 1738-01-26), so typed text is parsed here as Jalali — with
 * Persian, Arabic-Indic or ASCII digits — when the field is left or Enter is pressed.
 */
function TypedJalali(props: { id?: string; shown: string; open: () => void; placeholder: string; disabled: boolean; invalid?: boolean; commit: (jalali: string | undefined) => void }) {
  const [text, setText] = useState(props.shown);
  useEffect(() => setText(props.shown), [props.shown]);
  const commit = () => {
    if (!text.trim()) return props.commit(undefined);
    const parsed = parseJalaliDate(text);
    if (parsed) props.commit(`${parsed.jy}-${pad(parsed.jm)}-${pad(parsed.jd)}`);
  };
  const bad = text.trim() !== '' && !parseJalaliDate(text);
  return (
    <span className="jalali-typed">
    <input
      id={props.id}
      className="ant-input jalali-input"
      value={text}
      placeholder={props.placeholder}
      disabled={props.disabled}
      aria-invalid={bad || props.invalid ? true : undefined}
      inputMode="numeric"
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
    />
    <button type="button" className="jalali-open" aria-label="انتخاب از تقویم" disabled={props.disabled} onClick={props.open}>
      📅
    </button>
    </span>
  );
}

export function JalaliInput({ id, value, onChange, withTime = false, placeholder, disabled, minDate, 'aria-invalid': ariaInvalid }: JalaliInputProps) {
  const hint = placeholder ?? (withTime ? 'روز و ساعت را انتخاب کنید' : 'مثلاً ۱۴۰۵/۰۹/۲۰');
  return (
    <DatePicker
      {...(withTime
        ? {}
        : {
            render: (shown: unknown, openCalendar: () => void) => (
              <TypedJalali id={id} shown={typeof shown === 'string' ? shown : shown ? String(shown) : ''} open={openCalendar} placeholder={hint} disabled={disabled ?? false} invalid={ariaInvalid === true || ariaInvalid === 'true'} commit={(v) => onChange?.(v)} />
            ),
          })}
      id={id}
      value={toDateObject(value, withTime)}
      calendar={persian}
      locale={persianFa}
      format={withTime ? 'dddd D MMMM YYYY، ساعت HH:mm' : 'YYYY/MM/DD'}
      plugins={withTime ? [<TimePicker key="time" position="bottom" hideSeconds />] : []}
      inputClass="ant-input jalali-input"
      containerClassName="jalali-container"
      calendarPosition="bottom-right"
      placeholder={placeholder ?? (withTime ? 'روز و ساعت را انتخاب کنید' : 'مثلاً ۱۴۰۵/۰۹/۲۰')}
      disabled={disabled ?? false}
      editable={!withTime}
      minDate={minDate ? new DateObject({ date: minDate, calendar: persian }) : undefined}
      onChange={(date) => {
        const d = Array.isArray(date) ? date[0] : date;
        if (!d) return onChange?.(undefined);
        const jalali = `${d.year}-${pad(d.month.number)}-${pad(d.day)}`;
        onChange?.(withTime ? (tehranToIso(jalali, d.hour, d.minute) ?? undefined) : jalali);
      }}
    />
  );
}
