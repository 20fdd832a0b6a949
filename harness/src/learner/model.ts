import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import OpenAI from "openai";
import { SkillDeltaError, errorMessage } from "../core/errors.ts";
import type { SkillModel } from "./config.ts";
import type { LearningCost } from "./types.ts";

/** Fingerprint the scripted mock model puts in every response (agent/mock-model). */
const MOCK_FINGERPRINT = "skilldelta-mock";

/**
 * The skill-writing model, through the `openai` SDK against any OpenAI-compatible endpoint.
 * Accumulates the cost of every call into `cost`.
 */
export class SkillWriter {
  readonly cost: LearningCost;
  private readonly client: OpenAI;
  private readonly opts: SkillModel;

  /** @throws SkillDeltaError SD_USAGE when neither endpoint nor key is set */
  constructor(opts: SkillModel, env: Record<string, string | undefined>, cost: LearningCost) {
    const baseURL = env[opts.base_url_env]?.trim() || undefined;
    const apiKey = env[opts.api_key_env]?.trim() || undefined;
    if (!baseURL && !apiKey) throw new SkillDeltaError("SD_USAGE", `no skill-writing model endpoint: set ${opts.api_key_env} (and ${opts.base_url_env} for a non-OpenAI endpoint)`, { field: "learning.methods.model" });
    this.client = new OpenAI({ baseURL, apiKey: apiKey ?? "no-key", maxRetries: 4, timeout: opts.request_timeout_sec * 1000 });
    this.opts = opts;
    this.cost = cost;
  }

  /** One chat completion; returns the reply text. @throws SkillDeltaError when the endpoint fails for good */
  async complete(system: string, user: string): Promise<string> {
    const t0 = Date.now();
    try {
      const r = await this.client.chat.completions.create({
        model: this.opts.model,
        temperature: this.opts.temperature,
        max_completion_tokens: this.opts.max_output_tokens,
        messages: [
          { role: "system", content: system },
          { role: "user", content: user },
        ],
      });
      this.cost.calls++;
      this.cost.prompt_tokens += r.usage?.prompt_tokens ?? 0;
      this.cost.completion_tokens += r.usage?.completion_tokens ?? 0;
      if (r.system_fingerprint === MOCK_FINGERPRINT) this.cost.scripted_model = true;
      return r.choices[0]?.message.content ?? "";
    } catch (error) {
      throw new SkillDeltaError("SD_USAGE", `skill-writing model call failed: ${errorMessage(error)}`, { field: "learning.methods.model", cause: error });
    } finally {
      this.cost.seconds += (Date.now() - t0) / 1000;
    }
  }
}

/** A skill as the model writes it. */
export interface DraftSkill {
  name: string;
  description: string;
  body: string;
}

/** The answer format every built-in asks for. */
export const SKILL_JSON_FORMAT =
  'Answer with one JSON object and nothing else: {"skills": [{"name": "kebab-case-name", "description": "one line: when to use it", "body": "markdown instructions"}]}. Give the COMPLETE library (it replaces the previous one). Write procedures that transfer to other tasks of the same family, not answers to one task.';

/** Extracts `{"skills": [...]}` from a reply (bare JSON or inside a ```json fence); invalid entries are dropped with a reason. */
export function parseSkills(text: string): { skills: DraftSkill[]; problems: string[] } {
  const problems: string[] = [];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const candidate = fenced ?? text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(candidate);
  } catch {
    return { skills: [], problems: ["the reply holds no JSON object"] };
  }
  const list = (parsed as { skills?: unknown }).skills;
  if (!Array.isArray(list)) return { skills: [], problems: ["the reply has no `skills` array"] };
  const skills: DraftSkill[] = [];
  for (const [i, s] of list.entries()) {
    const o = (s ?? {}) as Record<string, unknown>;
    if (typeof o.name !== "string" || typeof o.description !== "string" || typeof o.body !== "string") {
      problems.push(`skills[${i}] lacks a string name, description or body`);
      continue;
    }
    const name = o.name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
    if (!name || skills.some((x) => x.name === name)) {
      problems.push(`skills[${i}] has an empty or duplicate name`);
      continue;
    }
    skills.push({ name, description: o.description.replace(/\s+/g, " ").trim(), body: o.body });
  }
  return { skills, problems };
}

/** Replaces the library in `dir` by `skills` (one folder with a SKILL.md each). */
export async function writeDraftLibrary(dir: string, skills: readonly DraftSkill[]): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const s of skills) {
    await mkdir(join(dir, s.name), { recursive: true });
    await writeFile(join(dir, s.name, "SKILL.md"), `---\nname: ${s.name}\ndescription: ${JSON.stringify(s.description)}\n---\n\n${s.body.trim()}\n`);
  }
}

/** The current library as text for a revision prompt (every SKILL.md, sorted). */
export async function libraryText(dir: string): Promise<string> {
  const names = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const parts: string[] = [];
  for (const n of names) {
    const text = await readFile(join(dir, n, "SKILL.md"), "utf8").catch(() => undefined);
    if (text !== undefined) parts.push(`### ${n}/SKILL.md\n${text}`);
  }
  return parts.length ? parts.join("\n\n") : "(empty library)";
}
