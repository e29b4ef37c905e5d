/**
 * PostgreSQL -> Debezium (pgoutput) -> Kafka -> cdc-sink -> MariaDB (mysql://root@127.0.0.1:3306/<db>), for real. A snapshot, then a
 * workload with every common type, key changes, deletes, TOASTed values under REPLICA IDENTITY DEFAULT,
 * a column added mid-stream, changes made while the sink is stopped, and truncates. After each phase
 * the target must equal the source exactly, row by row. Runs with CDC_E2E=1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { E2E_SKIP, runId } from '../infra/e2e/env.ts';
import { PgSource } from '../infra/e2e/pg-source.ts';
import { Scenario } from '../infra/e2e/scenario.ts';

describe('PostgreSQL -> MariaDB through Debezium, Kafka and cdc-sink', { skip: E2E_SKIP }, () => {
  const id = runId();
  const source = new PgSource(`e2e_pm_${id}`, `e2e-pm-${id}`);
  const scenario = new Scenario(source, { type: 'mysql', database: `e2e_pm_${id}_t` }, `e2e-pm-${id}`);

  before(() => scenario.setup());
  after(async () => {
    const problems = await scenario.cleanup();
    console.log(`# pg-to-mariadb: seed ${scenario.rng.seed}; timings ms ${JSON.stringify(scenario.timings)}`);
    assert.deepEqual(problems, [], 'clean-up');
  });

  for (const phase of source.phases()) {
    test(`${phase.name}: the target ends exactly equal to the source`, async (t) => {
      const result = await scenario.phase(phase);
      t.diagnostic(`rows ${JSON.stringify(result.rows)}; workload ${result.workloadMs} ms, converged ${result.waitedMs} ms later`);
      assert.ok((result.rows.all_types ?? 0) > 200, 'the all-types table holds the workload rows');
    });
  }
});
