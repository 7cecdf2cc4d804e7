// Demo data: one staff account per role (username = role name, password BARQ_DEMO_PASSWORD) and
// the demo tariff. Never in production.
import type { BarqApp } from '../app.ts';
import { STAFF_ROLES, ROLE_TITLES_FA, type StaffRole } from '../identity/roles.ts';
import { AppError } from '../platform/errors.ts';

export const DEMO_OFFICE_CODE = '37100123';

/** Seeds the demo accounts and tariff; existing ones are left alone. Returns the usernames created. */
export async function seedDemo(app: BarqApp, password: string): Promise<string[]> {
  const created: string[] = [];
  await app.barq.payments.seedDemoTariff();
  for (const role of STAFF_ROLES) {
    try {
      await app.barq.identity.createStaffUser({
        username: role,
        password,
        displayName: `${ROLE_TITLES_FA[role as StaffRole]} (نمایشی)`,
        roles: [role],
        officeCode: role === 'pishkhan-operator' ? DEMO_OFFICE_CODE : null,
      });
      created.push(role);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'USERNAME_TAKEN')) throw error;
    }
  }
  return created;
}
