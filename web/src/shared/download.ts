// Downloads a file the API builds (xlsx, CSV) with the staff session's bearer token: fetch, read
// the blob, and save it under the name the server gives (content-disposition) or a fallback.
import { ApiError, getSession, setSession, type Realm } from './api.ts';

function fileName(disposition: string | null, fallback: string): string {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (star) return decodeURIComponent(star);
  return disposition?.match(/filename="?([^";]+)"?/i)?.[1] ?? fallback;
}

/** Fetches `path` with the realm's token and saves the answer as a file; rejects with a Persian ApiError. */
export async function downloadFile(path: string, fallbackName: string, realm: Realm = 'staff'): Promise<string> {
  const session = getSession(realm);
  let response: Response;
  try {
    response = await fetch(path, { headers: session ? { authorization: `Bearer ${session.token}` } : {} });
  } catch {
    throw new ApiError(0, 'NETWORK', 'ارتباط با سامانه برقرار نشد؛ اتصال اینترنت را بررسی کنید و دوباره تلاش کنید.');
  }
  if (!response.ok) {
    let message = 'دریافت فایل ممکن نشد؛ لطفاً دوباره تلاش کنید.';
    try {
      const body = (await response.json()) as { error?: { message?: string; code?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the general message
    }
    if (response.status === 401 && session) setSession(realm, null);
    throw new ApiError(response.status, 'DOWNLOAD_FAILED', message);
  }
  const blob = await response.blob();
  const name = fileName(response.headers.get('content-disposition'), fallbackName);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}

/** A query string from the filled filters (empty values left out). */
export function queryString(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
