import { SkillDeltaError } from "../core/errors.ts";

/** Prints data as JSON on stdout (for scripts) — the only thing `--json` commands print there. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain aligned text table; numbers right-aligned. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number" || /^[\d./%-]+$/.test(String(r[i]))));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "─".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}

/** Failing checks end with exit code 1 through this error. */
export function checkFailed(message: string, hint?: string): SkillDeltaError {
  return new SkillDeltaError("SD_CHECK_FAILED", message, { hint });
}

export function info(line: string): void {
  process.stderr.write(`${line}\n`);
}
