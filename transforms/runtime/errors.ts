/** The three transform error shapes, each naming the transform, the table and (for events) the record. */
import type { ChangeEvent, TableId } from '../../connectors/core/change-event.ts';
import { tableIdText } from '../../connectors/core/change-event.ts';
import { CdcSinkError, ErrorCodes, errorText } from '../../connectors/core/errors.ts';
import type { RecordLocation } from '../../connectors/core/errors.ts';

/** Which transform of which chain: used in every message. */
export interface StepLabel {
  /** The plugin's meta.name. */
  readonly name: string;
  /** The `use` text from the config. */
  readonly use: string;
  /** 0-based position in the table's (concatenated) chain. */
  readonly index: number;
  /** The source table the chain serves. */
  readonly table: TableId;
}

export function stepText(step: StepLabel): string {
  const use = step.use === step.name ? '' : ` (${step.use})`;
  return `transform "${step.name}"${use}, step ${step.index + 1} of the chain for ${tableIdText(step.table)}`;
}

export function loadError(message: string, cause?: unknown, table?: string): CdcSinkError {
  return new CdcSinkError(ErrorCodes.TRANSFORM_LOAD, message, { kind: 'fatal', cause, table });
}

/** apply threw. Kind data (the event is bad), or retriable when the plugin says its failure is transient. */
export function applyError(step: StepLabel, event: ChangeEvent, err: unknown): CdcSinkError {
  const message = `${stepText(step)} failed on ${event.op} of ${tableIdText(event.table)}: ${errorText(err)}`;
  return new CdcSinkError(ErrorCodes.TRANSFORM_FAILED, message, {
    kind: isRetriable(err) ? 'retriable' : 'data',
    cause: err,
    location: eventLocation(event),
    table: tableIdText(step.table),
  });
}

export function badResultError(step: StepLabel, event: ChangeEvent, detail: string): CdcSinkError {
  const message = `${stepText(step)} returned a bad result for ${event.op} of ${tableIdText(event.table)}: ${detail}`;
  return new CdcSinkError(ErrorCodes.TRANSFORM_BAD_RESULT, message, {
    kind: 'data',
    location: eventLocation(event),
    table: tableIdText(step.table),
  });
}

/** mapSchema threw or returned garbage: every event of that schema would fail, so it is fatal. */
export function mapSchemaError(step: StepLabel, detail: string, cause?: unknown): CdcSinkError {
  return new CdcSinkError(ErrorCodes.TRANSFORM_FAILED, `${stepText(step)} could not map the table schema: ${detail}`, {
    kind: 'fatal',
    cause,
    table: tableIdText(step.table),
  });
}

export function eventLocation(event: ChangeEvent): RecordLocation | undefined {
  const s = event.source as ChangeEvent['source'] | undefined;
  if (!s || typeof s.topic !== 'string') return undefined;
  return { topic: s.topic, partition: s.partition, offset: s.offset, key: keyText(event) };
}

function keyText(event: ChangeEvent): string | undefined {
  if (!event.key || typeof event.key !== 'object') return undefined;
  const parts = Object.keys(event.key).map((k) => `${k}=${printable(event.key?.[k])}`);
  const text = parts.join(',');
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

function printable(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Buffer.isBuffer(v)) return `0x${v.subarray(0, 16).toString('hex')}`;
  if (typeof v === 'symbol') return 'unchanged';
  return String(v);
}

function isRetriable(err: unknown): boolean {
  if (err instanceof CdcSinkError) return err.kind === 'retriable';
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}
