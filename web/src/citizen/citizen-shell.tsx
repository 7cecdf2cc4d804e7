// The frame of the citizen pages: portal navigation and the applicant's sign-out.
import type { ReactNode } from 'react';
import { signOut, useSession } from '../shared/session.tsx';
import { Shell } from '../shared/shell.tsx';
import { toPersianDigits } from '../shared/format.ts';

export function CitizenShell({ children }: { children: ReactNode }) {
  const session = useSession('citizen');
  return (
    <Shell
      area="خدمات الکترونیکی مشترکین"
      nav={[
        { to: '/', label: 'میز خدمت', end: true },
        { to: '/track', label: 'پیگیری درخواست' },
      ]}
      user={session ? toPersianDigits(session.who) : null}
      onSignOut={() => signOut('citizen')}
    >
      {children}
    </Shell>
  );
}
