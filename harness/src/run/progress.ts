import { logUpdateStderr } from "log-update";
import type { Outcome } from "./schema.ts";

export interface ProgressCounts {
  total: number;
  done: number;
  skipped: number;
  byOutcome: Partial<Record<Outcome, number>>;
}

/**
 * Live progress: redrawn in place on a TTY (done/total, outcomes, ETA, running trials), a
 * plain line every `intervalMs` otherwise (CI logs, `| tee`). Writes to stderr so `--json`
 * output on stdout stays clean.
 */
export class Progress {
  private readonly counts: ProgressCounts;
  private readonly running = new Map<string, string>();
  private readonly started = Date.now();
  private readonly tty: boolean;
  private timer: NodeJS.Timeout | undefined;
  private readonly quiet: boolean;

  constructor(total: number, skipped: number, opts: { quiet?: boolean; intervalMs?: number; tty?: boolean } = {}) {
    this.counts = { total, done: 0, skipped, byOutcome: {} };
    this.tty = opts.tty ?? Boolean(process.stderr.isTTY);
    this.quiet = opts.quiet ?? false;
    if (!this.quiet) this.timer = setInterval(() => this.render(), this.tty ? 250 : (opts.intervalMs ?? 15_000));
    this.timer?.unref();
  }

  phase(trial: string, phase: string): void {
    this.running.set(trial, phase);
  }

  /** An infra/verifier error is retried: one more attempt to wait for. */
  retry(): void {
    this.counts.total++;
  }

  finish(trial: string, outcome: Outcome): void {
    this.running.delete(trial);
    this.counts.done++;
    this.counts.byOutcome[outcome] = (this.counts.byOutcome[outcome] ?? 0) + 1;
  }

  line(): string {
    const c = this.counts;
    const todo = c.total - c.skipped;
    const o = c.byOutcome;
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = c.done > 0 ? Math.round((elapsed / c.done) * (todo - c.done)) : undefined;
    const errors = (o.agent_error ?? 0) + (o.agent_timeout ?? 0) + (o.verifier_error ?? 0) + (o.infra_error ?? 0);
    return `${c.done}/${todo} trials${c.skipped ? ` (+${c.skipped} resumed)` : ""} · passed ${o.passed ?? 0} · failed ${o.failed ?? 0} · errors ${errors} · ${fmt(elapsed)} elapsed${eta !== undefined ? ` · ETA ${fmt(eta)}` : ""}`;
  }

  private render(): void {
    if (this.tty) {
      const running = [...this.running].slice(0, 8).map(([t, p]) => `  ${p.padEnd(9)} ${t}`);
      logUpdateStderr([this.line(), ...running].join("\n"));
    } else {
      process.stderr.write(`[skilldelta] ${this.line()}\n`);
    }
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.quiet) return;
    if (this.tty) {
      logUpdateStderr(this.line());
      logUpdateStderr.done();
    } else {
      process.stderr.write(`[skilldelta] ${this.line()}\n`);
    }
  }
}

function fmt(sec: number): string {
  const s = Math.round(sec);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}
