// Small decoders for Debezium/Connect JSON values, used by the infra tests' assertions.

/** org.apache.kafka.connect.data.Decimal: base64 of a big-endian two's-complement integer, plus scale. */
export function decodeDecimal(base64: string, scale: number): string {
  const bytes = Buffer.from(base64, 'base64');
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) n -= 1n << BigInt(8 * bytes.length);
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${text}` : text;
}

export interface ConnectField {
  field: string;
  type: string;
  optional?: boolean;
  name?: string;
  parameters?: Record<string, string>;
  fields?: ConnectField[];
}

/** The field schema of `column` inside the envelope's `after` struct. */
export function afterField(envelopeSchema: { fields: ConnectField[] }, column: string): ConnectField {
  const after = envelopeSchema.fields.find((f) => f.field === 'after');
  const field = after?.fields?.find((f) => f.field === column);
  if (!field) throw new Error(`no field ${column} in the envelope's after schema`);
  return field;
}
