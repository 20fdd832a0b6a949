/**
 * Storage enforcement where the storage driver cannot cap a container's writable layer
 * (overlay2 on ext4): poll the layer's size and stop the sandbox's processes once it passes
 * the limit. The limit is exceeded by at most what a process writes between two polls, so the
 * poll gets faster as the layer approaches the limit.
 */

/** Polling statistics, reported so the cost of enforcement is measured, not guessed. */
export interface WatchdogStats {
  polls: number;
  /** total wall time spent in `measure` */
  totalMs: number;
  maxMs: number;
  /** largest size seen */
  peakBytes: number;
}

export interface StorageWatchdogOptions {
  limitBytes: number;
  /** returns the writable layer's current size in bytes */
  measure: () => Promise<number>;
  /** called (once per poll that finds the layer over the limit) to stop the offenders */
  onExceeded: (bytes: number) => Promise<void>;
  /** normal poll interval (default 2000 ms) */
  intervalMs?: number;
  /** interval once the layer passed half the limit (default 500 ms) */
  nearIntervalMs?: number;
}

/** Default normal and near-limit poll intervals. */
export const WATCHDOG_INTERVAL_MS = 2000;
export const WATCHDOG_NEAR_INTERVAL_MS = 500;

/** A running storage watchdog; `stop()` is idempotent. */
export class StorageWatchdog {
  readonly #options: StorageWatchdogOptions;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #lastBytes: number | undefined;
  #exceeded = false;
  #lastError: string | undefined;
  readonly stats: WatchdogStats = { polls: 0, totalMs: 0, maxMs: 0, peakBytes: 0 };

  constructor(options: StorageWatchdogOptions) {
    this.#options = options;
  }

  /** Starts polling (the first poll runs after one interval). */
  start(): this {
    this.#schedule(this.#options.intervalMs ?? WATCHDOG_INTERVAL_MS);
    return this;
  }

  /** Writable-layer bytes at the last poll, if any. */
  get lastBytes(): number | undefined {
    return this.#lastBytes;
  }

  /** Sticky: true once any poll found the layer over the limit. */
  get exceeded(): boolean {
    return this.#exceeded;
  }

  /** The last measurement error, if polling is failing (e.g. the container is gone). */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Measures now (outside the schedule) and enforces the limit; returns the size. */
  async check(): Promise<number | undefined> {
    const started = performance.now();
    let bytes: number;
    try {
      bytes = await this.#options.measure();
      this.#lastError = undefined;
    } catch (error) {
      this.#lastError = (error as Error).message;
      return undefined;
    } finally {
      const ms = performance.now() - started;
      this.stats.polls += 1;
      this.stats.totalMs += ms;
      this.stats.maxMs = Math.max(this.stats.maxMs, ms);
    }
    this.#lastBytes = bytes;
    this.stats.peakBytes = Math.max(this.stats.peakBytes, bytes);
    if (bytes > this.#options.limitBytes && !this.#stopped) {
      this.#exceeded = true;
      await this.#options.onExceeded(bytes).catch(() => undefined);
    }
    return bytes;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(async () => {
      const bytes = await this.check();
      const near = bytes !== undefined && bytes > this.#options.limitBytes / 2;
      this.#schedule(near ? (this.#options.nearIntervalMs ?? WATCHDOG_NEAR_INTERVAL_MS) : (this.#options.intervalMs ?? WATCHDOG_INTERVAL_MS));
    }, ms);
    // a watchdog must never keep the harness process alive on its own
    this.#timer.unref();
  }
}
