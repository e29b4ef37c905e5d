// Minimal client for the Kafka Connect REST API used by the infra tests
// (the worker started by test/infra/connect/start.sh).

export interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; text: string }> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', accept: 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new Error(`Kafka Connect REST ${method} ${url} failed: is the worker running (test/infra/connect/start.sh)?`, {
      cause: err,
    });
  }
  return { status: res.status, text: await res.text() };
}

/** Throws unless the worker answers and has every connector class in `classes` on its plugin path. */
export async function assertPlugins(baseUrl: string, classes: readonly string[]): Promise<void> {
  const { status, text } = await call('GET', `${baseUrl}/connector-plugins`);
  if (status !== 200) throw new Error(`GET ${baseUrl}/connector-plugins answered ${status}: ${text}`);
  const found = (JSON.parse(text) as { class: string }[]).map((p) => p.class);
  for (const c of classes) {
    if (!found.includes(c)) throw new Error(`Kafka Connect at ${baseUrl} lacks plugin ${c} (has: ${found.join(', ')})`);
  }
}

/** Creates or replaces a connector (PUT /connectors/{name}/config). */
export async function putConnector(baseUrl: string, name: string, config: Record<string, string>): Promise<void> {
  const { status, text } = await call('PUT', `${baseUrl}/connectors/${encodeURIComponent(name)}/config`, config);
  if (status !== 200 && status !== 201) throw new Error(`registering connector ${name} answered ${status}: ${text}`);
}

export async function connectorStatus(baseUrl: string, name: string): Promise<ConnectorStatus | undefined> {
  const { status, text } = await call('GET', `${baseUrl}/connectors/${encodeURIComponent(name)}/status`);
  if (status === 404) return undefined;
  if (status !== 200) throw new Error(`status of connector ${name} answered ${status}: ${text}`);
  return JSON.parse(text) as ConnectorStatus;
}

/** Polls until the connector and all its tasks are RUNNING; fails fast with the trace on FAILED. */
export async function waitRunning(baseUrl: string, name: string, timeoutMs = 120_000): Promise<ConnectorStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: ConnectorStatus | undefined;
  while (Date.now() < deadline) {
    last = await connectorStatus(baseUrl, name);
    if (last) {
      const failed = [last.connector, ...last.tasks].find((s) => s.state === 'FAILED');
      if (failed) throw new Error(`connector ${name} FAILED: ${failed.trace ?? '(no trace)'}`);
      if (last.connector.state === 'RUNNING' && last.tasks.length > 0 && last.tasks.every((t) => t.state === 'RUNNING')) {
        return last;
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`connector ${name} not RUNNING after ${timeoutMs} ms; last status ${JSON.stringify(last)}`);
}

/** Deletes a connector; a missing one is fine. */
export async function deleteConnector(baseUrl: string, name: string): Promise<void> {
  const { status, text } = await call('DELETE', `${baseUrl}/connectors/${encodeURIComponent(name)}`);
  if (status !== 204 && status !== 200 && status !== 404) throw new Error(`deleting connector ${name} answered ${status}: ${text}`);
}
