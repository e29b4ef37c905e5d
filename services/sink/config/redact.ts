/** Config as it may be printed or logged: passwords, keys and URL credentials masked. */
const SECRET_KEYS = /^(password|secret|token|key|walletPassword|privateKey)$/i;
const MASK = '***';

export function redactUrl(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)([^:@/]*):([^@/]*)@/i, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`)
    .replace(/([?&](?:password|passwd|pwd|sslpassword|secret|token)=)[^&#]*/gi, `$1${MASK}`);
}

export function redact(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEYS.test(key)) return MASK;
    return redactUrl(value);
  }
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, k);
    return out;
  }
  return value;
}
