/**
 * Writer schemas by id, fetched through @kafkajs/confluent-schema-registry (`getSchema(id)`: GET
 * /schemas/ids/{id}, one request per id, cached by the library) and converted once for the decoder.
 *
 * Fetching is asynchronous, decoding is not: `prepare(ids)` fetches the ids a batch needs before
 * its records are decoded; `schema(id)` answers synchronously from what was fetched.
 *
 * avsc drops the attributes it does not know (connect.name, connect.parameters, logicalType ...),
 * which carry the Connect schema, so an avsc typeHook keeps the schema JSON of every type it
 * builds; longs are read as bigint (avro-long.ts).
 */
import { Agent as HttpsAgent } from 'node:https';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avsc from 'avsc';
import { CdcSinkError, ErrorCodes } from '../core/errors.ts';
import { BIGINT_LONG } from './avro-long.ts';
import type { ConvertedSchema } from './avro-schema.ts';
import { convertAvroSchema } from './avro-schema.ts';
import { DecodeFailure } from './failure.ts';
import { isObject } from './json-text.ts';
import type { SchemaRegistryOptions } from './types.ts';

const DEFAULT_TIMEOUT_MS = 10_000;
const CLIENT_ID = 'cdc-sink';

type RegistryArgs = ConstructorParameters<typeof SchemaRegistry>[0];
type Middleware = NonNullable<RegistryArgs['middlewares']>[number];

/** A fetched writer schema: the avsc type that reads its datums, and its conversion for the decoder. */
export interface RegistrySchema {
  readonly id: number;
  readonly type: avsc.Type;
  /** Full name of the top-level record (for messages), or the type name. */
  readonly name: string;
  /** The Connect schema and datum mapper, or why the schema cannot be decoded (a data error). */
  readonly converted: ConvertedSchema | DecodeFailure;
}

/** The URL without credentials (for requests and messages), and the credentials it held. */
function splitUrl(url: string): { host: string; user?: string; password?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CdcSinkError(ErrorCodes.CONFIG_INVALID, `decoder.schemaRegistry.url '${url}' is not a URL`, { kind: 'fatal' });
  }
  const user = u.username === '' ? undefined : decodeURIComponent(u.username);
  const password = u.password === '' ? undefined : decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { host: u.toString().replace(/\/$/, ''), user, password };
}

function statusOf(err: unknown): number | undefined {
  return isObject(err) && typeof err.status === 'number' ? err.status : undefined;
}

/** The library's error text without its client-id prefix; mappersmith reports a failure without any HTTP response as "status 400". */
function messageOf(err: unknown): string {
  let text = err instanceof Error ? err.message : String(err);
  if (text.startsWith(`${CLIENT_ID} - `)) text = text.slice(CLIENT_ID.length + 3);
  const noResponse = /^Error, status 400: (.*)$/s.exec(text);
  return noResponse === null ? text : `no response (${noResponse[1] as string})`;
}

export class AvroSchemaStore {
  private readonly registry: SchemaRegistry;
  private readonly url: string;
  private readonly schemas = new Map<number, RegistrySchema>();
  /** Ids the registry does not have (or holds no Avro under), with the reason; asked again by the next prepare. */
  private readonly missing = new Map<number, string>();
  /** The schema JSON of every avsc type built from a registry schema (see the typeHook). */
  private readonly rawOf = new WeakMap<object, unknown>();
  private readonly building = new WeakSet<object>();

  constructor(options: SchemaRegistryOptions) {
    const { host, user, password } = splitUrl(options.url);
    this.url = host;
    const username = options.username ?? user;
    const pw = options.password ?? password;
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const withTimeout: Middleware = () => ({ request: (req) => req.enhance({ timeout }) });
    const args: RegistryArgs = {
      host,
      clientId: CLIENT_ID,
      // The pipeline retries with its own backoff (errors.retry); one attempt per call here.
      retry: { retries: 0 },
      middlewares: [withTimeout],
    };
    if (username !== undefined) args.auth = { username, password: pw ?? '' };
    if (host.startsWith('https:') && (options.ca !== undefined || options.rejectUnauthorized === false)) {
      args.agent = new HttpsAgent({ ca: options.ca, rejectUnauthorized: options.rejectUnauthorized ?? true, keepAlive: true });
    }
    this.registry = new SchemaRegistry(args, {
      [SchemaType.AVRO]: { wrapUnions: 'auto', typeHook: (schema, opts) => this.typeHook(schema, opts) },
    });
  }

  /** avsc typeHook: longs as bigint; every other type is built here so that its schema JSON is kept. */
  private typeHook(schema: unknown, opts: avsc.ForSchemaOptions): avsc.Type | undefined {
    if (schema === 'long' || (isObject(schema) && schema.type === 'long')) return BIGINT_LONG;
    if (typeof schema !== 'object' || schema === null || this.building.has(schema)) return undefined;
    this.building.add(schema); // the nested forSchema call below calls this hook again with it
    const type = avsc.Type.forSchema(schema as avsc.Schema, opts);
    this.rawOf.set(type, schema);
    return type;
  }

  /** Fetches the schemas of these ids that are not known yet. Rejects with a CdcSinkError (retriable or fatal). */
  async prepare(ids: Iterable<number>): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.schemas.has(id));
    if (wanted.length === 0) return;
    const failures = await Promise.all(wanted.map((id) => this.fetch(id)));
    const errors = failures.filter((f): f is CdcSinkError => f !== null);
    const first = errors.find((e) => e.kind === 'fatal') ?? errors[0];
    if (first !== undefined) throw first;
  }

  private async fetch(id: number): Promise<CdcSinkError | null> {
    let type: unknown;
    try {
      type = await this.registry.getSchema(id);
    } catch (err) {
      return this.failed(id, err);
    }
    if (!avsc.Type.isType(type)) {
      this.missing.set(id, `schema id ${id} in the schema registry at ${this.url} is not an Avro schema (JSON Schema or Protobuf?)`);
      return null;
    }
    const t = type as avsc.Type;
    const raw = this.rawOf.get(t) ?? t.schema();
    let converted: ConvertedSchema | DecodeFailure;
    try {
      converted = convertAvroSchema(raw);
    } catch (err) {
      if (!(err instanceof DecodeFailure)) throw err;
      converted = err;
    }
    this.missing.delete(id);
    this.schemas.set(id, { id, type: t, name: t.name ?? t.typeName, converted });
    return null;
  }

  /** A failed fetch: 404 and unreadable schemas are data errors of the records (kept in `missing`); the rest is returned. */
  private failed(id: number, err: unknown): CdcSinkError | null {
    const status = statusOf(err);
    const reason = messageOf(err);
    if (status === 404) {
      this.missing.set(id, `the schema registry at ${this.url} has no schema with id ${id} (HTTP 404: ${reason})`);
      return null;
    }
    if (err instanceof Error && err.name === 'ConfluentSchemaRegistryArgumentError') {
      this.missing.set(id, `schema id ${id} from the schema registry at ${this.url} is not a valid Avro schema: ${reason}`);
      return null;
    }
    if (status === 401 || status === 403) {
      return new CdcSinkError(
        ErrorCodes.SCHEMA_REGISTRY,
        `the schema registry at ${this.url} refused to serve schema id ${id} (HTTP ${status}: ${reason}); check decoder.schemaRegistry.username/password`,
        { kind: 'fatal', cause: err },
      );
    }
    return new CdcSinkError(ErrorCodes.SCHEMA_REGISTRY, `fetching schema id ${id} from the schema registry at ${this.url}: ${reason}`, {
      kind: 'retriable',
      cause: err,
    });
  }

  /** The fetched schema of an id. Throws DecodeFailure when the registry does not have it or it was not fetched. */
  schema(id: number): RegistrySchema {
    const s = this.schemas.get(id);
    if (s !== undefined) return s;
    const missing = this.missing.get(id);
    if (missing !== undefined) throw new DecodeFailure(ErrorCodes.DECODE_UNKNOWN_SCHEMA, missing);
    throw new DecodeFailure(
      ErrorCodes.DECODE_UNKNOWN_SCHEMA,
      `schema id ${id} was not fetched from the schema registry at ${this.url} (the decoder's prepare() was not called for this record)`,
    );
  }
}
