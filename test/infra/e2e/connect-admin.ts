/**
 * Kafka Connect REST calls beyond test/infra/connect/support/connect-rest.ts: registering a connector
 * from a clean slate. Connect keeps a connector's source offsets under its name even after the
 * connector is deleted; a connector registered again under that name would resume from them (for
 * PostgreSQL: from an LSN of a replication slot that no longer exists). KIP-875/KIP-980 (Kafka 3.6+):
 * create it STOPPED, delete its offsets, resume.
 */
async function call(method: string, url: string, body?: unknown): Promise<{ status: number; text: string }> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', accept: 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  return { status: res.status, text: await res.text() };
}

function expect(what: string, r: { status: number; text: string }, ok: readonly number[]): void {
  if (!ok.includes(r.status)) throw new Error(`${what} answered ${r.status}: ${r.text}`);
}

/** Creates (or re-creates) a connector with no stored offsets, and starts it. */
export async function registerFresh(baseUrl: string, name: string, config: Record<string, string>): Promise<void> {
  const path = `${baseUrl}/connectors/${encodeURIComponent(name)}`;
  expect(`deleting connector ${name}`, await call('DELETE', path), [200, 204, 404]);
  // The deletion is asynchronous in the herder: retry the creation while the name is still taken.
  for (let i = 0; ; i++) {
    const r = await call('POST', `${baseUrl}/connectors`, { name, config, initial_state: 'STOPPED' });
    if (r.status === 201 || r.status === 200) break;
    if (r.status !== 409 || i >= 40) expect(`creating connector ${name} stopped`, r, [201]);
    await new Promise((res) => setTimeout(res, 250));
  }
  for (let i = 0; ; i++) {
    const r = await call('DELETE', `${path}/offsets`);
    if (r.status === 200) break;
    // 400/409 until the STOPPED state has reached every worker
    if (i >= 40) expect(`resetting the offsets of connector ${name}`, r, [200]);
    await new Promise((res) => setTimeout(res, 250));
  }
  expect(`resuming connector ${name}`, await call('PUT', `${path}/resume`), [200, 202]);
}
