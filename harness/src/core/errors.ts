/**
 * SkillDelta's error catalogue. Every error a user can meet carries a stable `code` to match
 * on, the `file`/`field` at fault when there is one, and a `hint` that says what to do.
 * The CLI maps `exitCode` to the process exit status (2 = usage or input error, 1 = a check failed).
 */
export type ErrorCode =
  | "SD_USAGE"
  | "SD_INPUT_INVALID"
  | "SD_NOT_FOUND"
  | "SD_LOCK_CHANGED"
  | "SD_DOCKER_UNAVAILABLE"
  | "SD_IMAGE_BUILD_FAILED"
  | "SD_SANDBOX"
  | "SD_CHECK_FAILED"
  | "SD_UNSUPPORTED";

export interface ErrorDetails {
  file?: string;
  field?: string;
  hint?: string;
  cause?: unknown;
}

export class SkillDeltaError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly field?: string;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "SkillDeltaError";
    this.code = code;
    this.file = details.file;
    this.field = details.field;
    this.hint = details.hint;
  }

  /** Process exit status for this error: input problems are 2, failed checks 1. */
  get exitCode(): number {
    return this.code === "SD_CHECK_FAILED" ? 1 : 2;
  }

  /** One readable line: `file: field: message (hint)`. */
  format(): string {
    const where = [this.file, this.field].filter(Boolean).join(": ");
    const hint = this.hint ? ` — ${this.hint}` : "";
    return `${where ? `${where}: ` : ""}${this.message}${hint}`;
  }
}

/** A file on disk does not match its schema; one instance per offending file. */
export class InputError extends SkillDeltaError {
  constructor(message: string, details: ErrorDetails = {}) {
    super("SD_INPUT_INVALID", message, details);
    this.name = "InputError";
  }
}

/** Docker (or another sandbox provider) failed in a way the harness cannot classify further. */
export class SandboxError extends SkillDeltaError {
  constructor(message: string, details: ErrorDetails = {}) {
    super("SD_SANDBOX", message, details);
    this.name = "SandboxError";
  }
}

/** Resume refused: the recomputed lock differs from the one recorded in run.json. */
export class LockChangedError extends SkillDeltaError {
  readonly changes: string[];
  constructor(file: string, changes: string[]) {
    super("SD_LOCK_CHANGED", `the run's inputs changed since it started:\n  ${changes.join("\n  ")}`, {
      file,
      hint: "restore the original inputs to resume, or start a new run with another --id",
    });
    this.name = "LockChangedError";
    this.changes = changes;
  }
}

/** Message of any thrown value, for records that must never throw themselves. */
export function errorMessage(error: unknown): string {
  if (error instanceof SkillDeltaError) return error.format();
  if (error instanceof Error) return error.message;
  return String(error);
}
