/**
 * A stand-in for a Confluent Schema Registry, for tests. No schema registry can run on this
 * machine (Confluent's is not on Maven Central, Karapace needs PyPI, Apicurio publishes no runnable
 * jar: test/infra/apicurio/README.md), so this small HTTP server answers the one REST call the
 * decoder makes, as Confluent documents it (Schema Registry API reference, "Schemas"):
 *
 *   GET /schemas/ids/{id}  -> 200 {"schema": "<the Avro schema as JSON text>"}
 *                             (schemaType is left out for AVRO, as the registry does)
 *                          -> 404 {"error_code": 40403, "message": "Schema <id> not found"}
 *
 * with Content-Type application/vnd.schemaregistry.v1+json, optional HTTP basic auth (401
 * {"error_code": 401, ...}), an optional path prefix (Apicurio serves the same API under
 * /apis/ccompat/v7), and switches to fail every request, to never answer, or to stop listening
 * (registry down).
 * It is a test double of the registry's documented contract, not a registry.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export interface TestSchemaRegistryOptions {
  /** Path prefix of the API, e.g. '/apis/ccompat/v7'. */
  readonly prefix?: string;
  /** Require HTTP basic auth with these credentials. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** First id handed out (ids are global in a registry, shared by keys and values). */
  readonly firstId?: number;
}

export class TestSchemaRegistry {
  /** Request paths served, in order (`GET /schemas/ids/1`). */
  readonly requests: string[] = [];
  /** When set, every request is answered with this status (e.g. 500: backend store down). */
  failWith: number | null = null;
  /** When true, requests are accepted but never answered (a hung registry). */
  hang = false;
  private readonly byId = new Map<number, string>();
  private readonly byText = new Map<string, number>();
  private nextId: number;
  private closed = false;
  /** Base URL of the API (with the prefix), e.g. http://127.0.0.1:40123. */
  url = '';

  private constructor(
    private readonly server: http.Server,
    private readonly options: TestSchemaRegistryOptions,
  ) {
    this.nextId = options.firstId ?? 1;
  }

  static async start(options: TestSchemaRegistryOptions = {}): Promise<TestSchemaRegistry> {
    const server = http.createServer();
    const registry = new TestSchemaRegistry(server, options);
    server.on('request', (req, res) => registry.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    registry.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.prefix ?? ''}`;
    return registry;
  }

  /** Registers a schema (JSON value or JSON text); the same text gets the same id. */
  register(schema: unknown): number {
    const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    const id = this.nextId++;
    this.byId.set(id, text);
    this.byText.set(text, id);
    return id;
  }

  schemaText(id: number): string | undefined {
    return this.byId.get(id);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    this.requests.push(`${req.method ?? ''} ${path}`);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': CONTENT_TYPE });
      res.end(JSON.stringify(body));
    };
    const auth = this.options.auth;
    if (auth !== undefined) {
      const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return reply(401, { error_code: 401, message: 'Unauthorized' });
    }
    if (this.hang) return;
    if (this.failWith !== null) return reply(this.failWith, { error_code: this.failWith * 100 + 1, message: 'Error in the backend data store' });
    const prefix = this.options.prefix ?? '';
    const m = path.startsWith(prefix) ? /^\/schemas\/ids\/(\d+)$/.exec(path.slice(prefix.length)) : null;
    if (req.method !== 'GET' || m === null) return reply(404, { error_code: 404, message: 'HTTP 404 Not Found' });
    const id = Number(m[1]);
    const text = this.byId.get(id);
    if (text === undefined) return reply(404, { error_code: 40403, message: `Schema ${id} not found` });
    reply(200, { schema: text });
  }

  /** Stops listening (the registry is "down" afterwards); idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
