import type { z } from "zod";
import { InputError } from "./errors.ts";

/**
 * Turns zod issues into one readable line each: `file: field: what was expected — fix`.
 * Used for every file SkillDelta parses, so all schema errors read alike.
 */
export function zodIssuesToErrors(file: string, error: z.ZodError): InputError[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join(".") || "(top level)";
    return new InputError(describeIssue(issue), { file, field, hint: hintFor(issue) });
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `\`${k}\``).join(", ")}`;
    case "invalid_type":
      return `expected ${issue.expected}${"input" in issue && issue.input === undefined ? " (missing)" : ""}`;
    default:
      return issue.message;
  }
}

function hintFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return "remove it or check its spelling against the documented fields";
    case "invalid_type":
      return `set it to a ${issue.expected}`;
    case "invalid_value":
      return `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return "fix the value and run `skilldelta tasks validate` again";
  }
}

/** Parses with `schema`, throwing the first readable error (all of them in `errors`). */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, file: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = zodIssuesToErrors(file, result.error);
  const first = errors[0]!;
  if (errors.length > 1) {
    first.message += ` (and ${errors.length - 1} more: ${errors.slice(1).map((e) => e.format()).join("; ")})`;
  }
  throw first;
}
