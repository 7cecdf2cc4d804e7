// Who is who. Staff roles come from accounts; `applicant` comes from a one-time SMS code;
// `system` is the app itself (payment callbacks, jobs) and never signs in.
export const STAFF_ROLES = ['pishkhan-operator', 'clerk', 'finance', 'meter-tester', 'field-crew', 'supervisor', 'admin', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = StaffRole | 'applicant' | 'system';

export const ROLE_TITLES_FA: Record<Role, string> = {
  applicant: 'متقاضی',
  'pishkhan-operator': 'متصدی دفتر پیشخوان',
  clerk: 'کارشناس پذیرش',
  finance: 'کارشناس مالی',
  'meter-tester': 'کارشناس آزمایش کنتور',
  'field-crew': 'اکیپ اجرایی',
  supervisor: 'سرپرست',
  admin: 'مدیر سامانه',
  auditor: 'حسابرس',
  system: 'سامانه',
};

/** Roles that may read any request (work queues, monitoring, audit). */
export const STAFF_READERS: ReadonlySet<Role> = new Set(['clerk', 'finance', 'meter-tester', 'field-crew', 'supervisor', 'admin', 'auditor']);

export type Principal =
  | { kind: 'staff'; userId: string; username: string; displayName: string; roles: StaffRole[]; officeCode: string | null }
  | { kind: 'applicant'; mobile: string; roles: ['applicant'] };

/** The label written in events and logs for who did something (never a national code or mobile). */
export function actorId(principal: Principal): string {
  return principal.kind === 'staff' ? `staff:${principal.username}` : `applicant:${principal.mobile.slice(0, 4)}***${principal.mobile.slice(-2)}`;
}
