/**
 * One end-to-end run: a source database and its Debezium connector (a SourceDriver), Kafka, an
 * in-process cdc-sink and a target. Phases of workload follow one another; after each the target must
 * converge to exactly the source. A phase runs either into the running sink (live) or while the sink
 * is stopped, the sink then restarting on the backlog (resuming from the offsets it stored).
 */
import type { TableSpec } from './compare.ts';
import type { Converged } from './harness.ts';
import { createTableTopics, deleteTopicsAndGroup, dropTarget, e2eKafka, openTargetSide, prepareTarget, waitConverged } from './harness.ts';
import { KEEP } from './env.ts';
import { Rng } from './random.ts';
import type { OpenSide } from './sides.ts';
import type { E2eSink, TargetSpec } from './sink.ts';
import { startE2eSink } from './sink.ts';

export interface SourceDriver {
  /** Source tables as compared (final columns included), the marker table among them. */
  readonly tables: readonly TableSpec[];
  readonly markerTable: string;
  /** Topics of the tables (created up front with 3 partitions; the sink consumes them). */
  readonly topics: readonly string[];
  /** Other topics the connector writes (schema history), deleted at clean-up. */
  readonly otherTopics: readonly string[];
  /** Creates the source tables and the rows the snapshot reads. */
  seed(rng: Rng): Promise<void>;
  /** Registers the connector and waits until changes made from now on will be captured. */
  startConnector(): Promise<void>;
  /** Inserts row `phase` into the marker table: the last change of a phase. */
  mark(phase: number): Promise<void>;
  openSide(): Promise<OpenSide>;
  /**
   * Deletes the connector and whatever it left in the source, and the source tables (only closes the
   * sessions when `keep`).
   */
  cleanup(step: (what: string, fn: () => Promise<unknown>) => Promise<void>, keep: boolean): Promise<void>;
}

export interface Phase {
  readonly name: string;
  /** live: into the running sink; backlog: while the sink is stopped, then the sink restarts. */
  readonly mode: 'live' | 'backlog';
  readonly run: (rng: Rng) => Promise<void>;
}

export interface PhaseResult extends Converged {
  readonly workloadMs: number;
}

export class Scenario {
  readonly rng = new Rng();
  private readonly kafka = e2eKafka();
  private sink: E2eSink | null = null;
  private sides: { source: OpenSide; target: OpenSide } | null = null;
  private phases = 0;
  readonly timings: Record<string, number> = {};

  constructor(
    readonly driver: SourceDriver,
    readonly target: TargetSpec,
    readonly groupId: string,
  ) {}

  /** Seeds the source, creates topics and the target, starts the sink, then the connector (snapshot). */
  async setup(): Promise<void> {
    let t = Date.now();
    await this.driver.seed(this.rng);
    await createTableTopics(this.kafka, this.driver.topics);
    await prepareTarget(this.target);
    this.sink = await startE2eSink(this.target, this.driver.topics, this.groupId);
    this.timings.setup = Date.now() - t;
    t = Date.now();
    await this.driver.startConnector();
    this.timings.connectorStart = Date.now() - t;
  }

  /** Runs one phase of workload, then waits until the target equals the source. */
  async phase(p: Phase): Promise<PhaseResult> {
    const n = ++this.phases;
    let t = Date.now();
    if (p.mode === 'backlog') await this.stopSink();
    await p.run(this.rng);
    await this.driver.mark(n);
    const workloadMs = Date.now() - t;
    t = Date.now();
    if (p.mode === 'backlog') this.sink = await startE2eSink(this.target, this.driver.topics, this.groupId);
    this.sides ??= { source: await this.driver.openSide(), target: await openTargetSide(this.target) };
    const converged = await waitConverged({
      kafka: this.kafka,
      sink: this.sink!,
      target: this.target,
      topics: this.driver.topics,
      source: this.sides.source,
      targetSide: this.sides.target,
      tables: this.driver.tables,
      marker: { table: this.driver.markerTable, id: n },
    });
    this.timings[`phase ${n} workload`] = workloadMs;
    this.timings[`phase ${n} converge`] = Date.now() - t;
    return { ...converged, workloadMs };
  }

  private async stopSink(): Promise<void> {
    const s = this.sink;
    this.sink = null;
    if (s) await s.app.stop();
  }

  /** Stops the sink and removes everything the run created (unless E2E_KEEP=1); returns what failed. */
  async cleanup(): Promise<string[]> {
    const t = Date.now();
    const problems: string[] = [];
    const step = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    await step('stop the sink', () => this.stopSink());
    if (this.sides) {
      const { source, target } = this.sides;
      await step('close the source session', () => source.close());
      await step('close the target session', () => target.close());
    }
    await this.driver.cleanup(step, KEEP);
    if (!KEEP) {
      await step('drop the target', () => dropTarget(this.target));
      await step('delete topics', () => deleteTopicsAndGroup(this.kafka, [...this.driver.topics, ...this.driver.otherTopics], this.groupId));
    }
    this.timings.cleanup = Date.now() - t;
    return problems;
  }
}
