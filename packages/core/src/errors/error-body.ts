import type { FieldError } from './kontext-error.js';

/** fal's `detail[]` (FastAPI's validation shape) as field errors; empty for any other body. */
export function fieldErrorsOf(body: unknown): FieldError[] {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (!Array.isArray(detail)) return [];
  return detail.map((issue: { loc?: unknown; msg?: unknown; type?: unknown }) => {
    const loc = Array.isArray(issue.loc) ? issue.loc.filter((part) => part !== 'body') : [];
    const field = loc.length > 0 ? loc.join('.') : 'input';
    return {
      field,
      message: `${field}: ${String(issue.msg ?? 'invalid')}`,
      ...(typeof issue.type === 'string' ? { type: issue.type } : {}),
    };
  });
}

/** What the server said about the error in one line, whatever shape its body took. */
export function detailTextOf(body: unknown, fieldErrors: readonly FieldError[]): string | undefined {
  if (fieldErrors.length > 0) return fieldErrors.map((e) => (e.type ? `${e.message} (${e.type})` : e.message)).join('; ');
  if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
  const detail = (body as { detail?: unknown; message?: unknown; error?: unknown } | null) ?? {};
  const text = detail.detail ?? detail.message ?? detail.error;
  return typeof text === 'string' ? text : undefined;
}
