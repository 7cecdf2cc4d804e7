// The page frame: a skip link, the header with the area's navigation and who is signed in, the
// content, and the footer with the company's numbers.
import { Button } from 'antd';
import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router';

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}

export function Shell(props: { area?: string; nav?: NavItem[]; user?: string | null; onSignOut?: () => void; children: ReactNode; wide?: boolean }) {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        پرش به محتوای اصلی
      </a>
      <header className="site-header no-print">
        <div className={props.wide ? 'header-inner wide' : 'header-inner'}>
          <Link to="/" className="brand">
            <svg width="30" height="30" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <rect width="32" height="32" rx="7" fill="#ffffff" fillOpacity="0.15" />
              <path d="M18 3 7 18h7l-2 11 11-15h-7z" fill="#ffd23f" />
            </svg>
            <span className="brand-text">
              <span className="brand-name">میز خدمت برق</span>
              {props.area ? <span className="brand-area">{props.area}</span> : null}
            </span>
          </Link>
          {props.nav?.length ? (
            <nav aria-label="پیوندهای اصلی" className="site-nav">
              {props.nav.map((item) => (
                <NavLink key={item.to} to={item.to} end={item.end ?? false} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
                  {item.label}
                </NavLink>
              ))}
            </nav>
          ) : null}
          {props.user ? (
            <div className="site-user">
              <span className="user-name">{props.user}</span>
              {props.onSignOut ? (
                <Button size="small" ghost onClick={props.onSignOut}>
                  خروج
                </Button>
              ) : null}
            </div>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1} className={props.wide ? 'site-main wide' : 'site-main'}>
        {props.children}
      </main>
      <footer className="site-footer no-print">
        <div className={props.wide ? 'footer-inner wide' : 'footer-inner'}>
          <span>شرکت توزیع نیروی برق استان قم</span>
          <span>
            اتفاقات برق: <bdi>۱۲۱</bdi> · مرکز تماس: <bdi>۱۵۲۱</bdi>
          </span>
        </div>
      </footer>
    </div>
  );
}
