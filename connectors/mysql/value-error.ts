/**
 * Why one value cannot be written. Raised by the pure encoders (values.ts, temporal.ts,
 * json-text.ts), which do not know the table and column; valueEncoder wraps it into a data
 * TargetError naming both.
 */
export class ValueError extends Error {
  override readonly name = 'ValueError';
}
