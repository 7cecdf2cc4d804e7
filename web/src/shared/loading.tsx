import type React from 'react';
// The loading state, without antd, so the entry chunk stays small.
export function PageLoading({ label = 'در حال بارگذاری…' }: { label?: string }) {
  return (
    <div className="page-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** antd's own loading icon is labelled "loading" in English; this one is silent (the button stays named). */
export function busyIcon(busy: boolean): false | { icon: React.ReactNode } {
  return busy ? { icon: <span className="spinner btn-spinner" aria-hidden="true" /> } : false;
}
