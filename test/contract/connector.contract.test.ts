/**
 * The connector behaviour suite: one set of behaviours, written once, run against every target of
 * targets.ts (PostgreSQL, MariaDB, and Oracle when ORACLE_URL is set). It drives Connector.write()
 * with WriteBatch objects built by hand and reads back through a reader of its own per database,
 * which converts values to text in SQL. The assertions are the same for every target; where a
 * database truly stores something differently, targets.ts (quirks) and the readers say so.
 */
import { after, before, describe } from 'node:test';
import { ddlBehaviours } from './behaviours/ddl.ts';
import { errorBehaviours } from './behaviours/errors.ts';
import { identifierBehaviours } from './behaviours/identifiers.ts';
import { offsetBehaviours } from './behaviours/offsets.ts';
import { rowBehaviours } from './behaviours/rows.ts';
import { Harness } from './harness.ts';
import { CONTRACT_TARGETS } from './targets.ts';

for (const target of CONTRACT_TARGETS) {
  describe(`connector contract: ${target.name}`, { skip: target.skip ?? false }, () => {
    const h = new Harness(target);
    before(() => h.open());
    after(() => h.close());

    describe('rows', () => rowBehaviours(h));
    describe('identifiers', () => identifierBehaviours(h));
    describe('offsets and chunking', () => offsetBehaviours(h));
    describe('DDL', () => ddlBehaviours(h));
    describe('error classification', () => errorBehaviours(h));
  });
}
