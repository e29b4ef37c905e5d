/** Exact decimal text handling (no floating point): parse, normalize to plain notation, round. */

export interface DecimalParts {
  readonly negative: boolean;
  /** Integer digits without leading zeros ('' for zero). */
  readonly int: string;
  /** Fraction digits, as given (trailing zeros kept). */
  readonly frac: string;
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses "12", "-0.50", ".5", "1e3", "1.5E-2"; null when it is not a decimal number. */
export function parseDecimal(text: string): DecimalParts | null {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) return null;
  let int = m[2] ?? '';
  let frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return null;
  if (exp > 0) {
    const moved = frac.slice(0, exp).padEnd(exp, '0');
    int += moved;
    frac = frac.slice(exp);
  } else if (exp < 0) {
    const k = -exp;
    const padded = int.padStart(k, '0');
    frac = padded.slice(padded.length - k) + frac;
    int = padded.slice(0, padded.length - k);
  }
  int = int.replace(/^0+/, '');
  return { negative: m[1] === '-', int, frac };
}

export function isZero(p: DecimalParts): boolean {
  return p.int === '' && /^0*$/.test(p.frac);
}

/** Plain notation: "-12.50", "0.5", "1000". Negative zero prints as "0" (with its fraction). */
export function formatDecimal(p: DecimalParts): string {
  const body = (p.int === '' ? '0' : p.int) + (p.frac === '' ? '' : `.${p.frac}`);
  return p.negative && !isZero(p) ? `-${body}` : body;
}

/** A JS number as exact plain decimal text (its shortest round-trip representation). */
export function numberToDecimal(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  const p = parseDecimal(String(n));
  return p ? formatDecimal(p) : null;
}

/**
 * Rounds (half away from zero) or pads the fraction to `scale` digits, then checks `precision`
 * (total digits). Throws with the reason when the value does not fit.
 */
export function fitDecimal(p: DecimalParts, precision: number | undefined, scale: number | undefined): DecimalParts {
  let out = p;
  if (scale !== undefined) {
    if (p.frac.length <= scale) {
      out = { ...p, frac: p.frac.padEnd(scale, '0') };
    } else {
      const keep = p.frac.slice(0, scale);
      const roundUp = (p.frac.charCodeAt(scale) - 48) >= 5;
      let digits = p.int + keep;
      if (roundUp) digits = addOne(digits === '' ? '0' : digits);
      const intLen = digits.length - scale;
      out = { negative: p.negative, int: digits.slice(0, intLen).replace(/^0+/, ''), frac: digits.slice(intLen) };
    }
  }
  if (precision !== undefined) {
    const maxInt = precision - (scale ?? 0);
    if (out.int.length > maxInt) {
      throw new Error(`needs ${out.int.length} integer digit(s), decimal(${precision},${scale ?? 0}) allows ${maxInt}`);
    }
  }
  return out;
}

function addOne(digits: string): string {
  const arr = digits.split('');
  let i = arr.length - 1;
  while (i >= 0) {
    if (arr[i] === '9') {
      arr[i] = '0';
      i--;
    } else {
      arr[i] = String(Number(arr[i]) + 1);
      return arr.join('');
    }
  }
  return `1${arr.join('')}`;
}
