// A Jalali (Solar Hijri) date or date-time input over react-multi-date-picker's Persian calendar.
// Values: date-only → Jalali 'YYYY-MM-DD' (ASCII digits, as the API takes it); date-time → an ISO
// instant. Wall-clock times are Tehran's (+03:30, no daylight saving since 1401), whatever the
// browser's own time zone.
import DatePickerImport, { DateObject } from 'react-multi-date-picker';
import TimePickerImport from 'react-multi-date-picker/plugins/time_picker';
import persianImport from 'react-date-object/calendars/persian';
import persianFaImport from 'react-date-object/locales/persian_fa';
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

export function JalaliInput({ id, value, onChange, withTime = false, placeholder, disabled, minDate }: JalaliInputProps) {
  return (
    <DatePicker
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
