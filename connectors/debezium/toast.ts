/**
 * PostgreSQL TOAST placeholders (FORMAT.md §11). When an UPDATE does not touch an out-of-line
 * value, Debezium cannot read it and sends `unavailable.value.placeholder` instead, in a form that
 * depends on the column type. We compare the WIRE value with every form, before decoding, and
 * turn a match into UNCHANGED so that the value is never written.
 */
import { createHash } from 'node:crypto';

export const DEFAULT_PLACEHOLDER = '__debezium_unavailable_value';

export interface ToastForms {
  /** False for NO_TOAST: nothing matches. */
  readonly enabled: boolean;
  /** The placeholder as text (text/varchar/json/xml columns, hex binary mode). */
  readonly text: string;
  /** Base64 of the placeholder bytes (bytea in bytes/base64 mode), padded. */
  readonly base64: string;
  /** The same in the URL-safe alphabet (base64-url-safe mode), with padding as Java writes it. */
  readonly base64Url: string;
  /** URL-safe without padding. */
  readonly base64UrlBare: string;
  /** The placeholder bytes as numbers (int[], bigint[], date[] columns). */
  readonly byteValues: readonly number[];
  /** Name-based (v3) UUID of the placeholder bytes (uuid[] columns). */
  readonly uuid: string;
  /** hstore in json mode: {"<ph>":"<ph>"}. */
  readonly hstoreJson: string;
}

/** Java's UUID.nameUUIDFromBytes: MD5, version 3, IETF variant. */
function nameUuid(bytes: Buffer): string {
  const h = createHash('md5').update(bytes).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x30;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** All wire forms of a placeholder; a `hex:` prefix gives the placeholder as raw bytes (Debezium). */
export function toastForms(placeholder: string): ToastForms {
  const bytes = placeholder.startsWith('hex:')
    ? Buffer.from(placeholder.slice(4), 'hex')
    : Buffer.from(placeholder, 'utf8');
  const text = bytes.toString('utf8');
  return Object.freeze({
    enabled: true,
    text,
    base64: bytes.toString('base64'),
    base64Url: bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
    base64UrlBare: bytes.toString('base64url'),
    byteValues: Object.freeze([...bytes]),
    uuid: nameUuid(bytes),
    hstoreJson: JSON.stringify({ [text]: text }),
  });
}

/** True when a wire string is one of the placeholder's string forms (any column type). */
export function isToastString(raw: string, forms: ToastForms): boolean {
  return (
    forms.enabled &&
    (raw === forms.text ||
    raw === forms.base64 ||
    raw === forms.base64Url ||
    raw === forms.base64UrlBare ||
      raw === forms.hstoreJson)
  );
}

/** True when the value of a text-like column (text, json, xml, hstore-as-json) is the placeholder. */
export function isToastText(raw: string, forms: ToastForms): boolean {
  return forms.enabled && (raw === forms.text || raw === forms.hstoreJson);
}

/** True when a wire array is one of the placeholder's array forms. */
export function isToastArray(raw: readonly unknown[], forms: ToastForms): boolean {
  if (!forms.enabled) return false;
  if (raw.length === 1) {
    const only = raw[0];
    return typeof only === 'string' && (isToastString(only, forms) || only === forms.uuid);
  }
  const bytes = forms.byteValues;
  if (raw.length !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (raw[i] !== bytes[i]) return false;
  return true;
}

/** True when a wire object is the hstore map-mode placeholder {"<ph>": "<ph>"}. */
export function isToastMap(raw: Readonly<Record<string, unknown>>, forms: ToastForms): boolean {
  if (!forms.enabled) return false;
  const keys = Object.keys(raw);
  return keys.length === 1 && keys[0] === forms.text && raw[forms.text] === forms.text;
}

/**
 * Forms that match nothing: for array elements (never placeholders on their own) and message keys.
 */
export const NO_TOAST: ToastForms = Object.freeze({ ...toastForms(DEFAULT_PLACEHOLDER), enabled: false });
