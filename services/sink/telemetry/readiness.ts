/**
 * Readiness of the service, as /readyz reports it: every component must be ready; each one that is
 * not says why ("target: connection refused, retrying (attempt 3)").
 */
export type Component = 'kafka' | 'assignment' | 'target' | 'pipeline' | 'schema-registry';

export class Readiness {
  private readonly reasons = new Map<Component, string>();
  private readonly onChange: (ready: boolean) => void;

  constructor(onChange: (ready: boolean) => void = () => {}) {
    this.onChange = onChange;
    this.reasons.set('kafka', 'not connected to Kafka yet');
    this.reasons.set('assignment', 'no partitions assigned yet');
    this.reasons.set('target', 'not connected to the target yet');
  }

  ok(component: Component): void {
    if (this.reasons.delete(component)) this.onChange(this.ready);
  }

  notReady(component: Component, reason: string): void {
    const was = this.ready;
    this.reasons.set(component, reason);
    if (was) this.onChange(false);
  }

  get ready(): boolean {
    return this.reasons.size === 0;
  }

  status(): { ready: boolean; reasons: string[] } {
    return { ready: this.ready, reasons: [...this.reasons].map(([c, r]) => `${c}: ${r}`) };
  }
}
