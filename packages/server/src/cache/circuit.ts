/**
 * A circuit breaker for a dependency that may hang or vanish (Redis): after a failure, calls fail at once
 * for `retryMs` instead of each waiting for a timeout; then one trial call decides whether it is back.
 * State changes are reported once each, so an outage is one log line, not one per request.
 */

/** The dependency is known to be down; thrown without calling it. */
export class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
  readonly code = 'CIRCUIT_OPEN';
}

export class Circuit {
  private openUntil = 0;
  private down = false;
  private trial = false;

  constructor(
    private readonly name: string,
    private readonly retryMs: number,
    /** Called with false (and the error) when the dependency goes down, true when it is back. */
    private readonly onChange: (up: boolean, error?: Error) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the last call (or trial) succeeded. */
  get up(): boolean {
    return !this.down;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    let isTrial = false;
    if (this.down) {
      if (this.trial || this.now() < this.openUntil) throw new CircuitOpenError(`${this.name} is unavailable`);
      this.trial = true;
      isTrial = true;
    }
    try {
      const result = await fn();
      if (this.down) {
        this.down = false;
        this.onChange(true);
      }
      return result;
    } catch (e) {
      this.openUntil = this.now() + this.retryMs;
      if (!this.down) {
        this.down = true;
        this.onChange(false, e as Error);
      }
      throw e;
    } finally {
      if (isTrial) this.trial = false;
    }
  }
}
