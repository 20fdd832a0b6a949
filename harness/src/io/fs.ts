import { readFile } from "node:fs/promises";
import { InputError, SkillDeltaError } from "../core/errors.ts";

export { exists } from "../core/fs.ts";

/**
 * Reads and parses a JSON file.
 * @throws SkillDeltaError SD_NOT_FOUND when absent, InputError when not JSON
 */
export async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new SkillDeltaError("SD_NOT_FOUND", `${what} not found`, { file, hint: "check the path" });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} is not valid JSON: ${(error as Error).message}`, { file });
  }
}
