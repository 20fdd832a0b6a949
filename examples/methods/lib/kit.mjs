// Small helpers shared by the worked methods in examples/methods/ (skillx, effiskill, skillforge).
// Plain Node (>= 22), no dependencies: the OpenAI-compatible chat completions API is called with
// fetch, at the endpoint and key the learning context NAMES (see ../README.md, "The contract").
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** The learning context ($SKILLDELTA_CONTEXT) and where to write ($SKILLDELTA_OUTPUT). */
export async function loadContext() {
  const file = process.env.SKILLDELTA_CONTEXT;
  const out = process.env.SKILLDELTA_OUTPUT;
  if (!file || !out) throw new Error("run me as a SkillDelta learning method: $SKILLDELTA_CONTEXT and $SKILLDELTA_OUTPUT are not set");
  const ctx = JSON.parse(await readFile(file, "utf8"));
  if (!ctx.model) throw new Error("this method needs a skill-writing model: set `model` in its [learning.methods] entry");
  return { ctx, out };
}

/**
 * A chat client for the context's model. Accumulates usage; `writeUsage()` reports it to
 * $SKILLDELTA_USAGE so the harness charges it to the condition. Retries 429 and 5xx answers.
 */
export function modelClient(model) {
  const base = (process.env[model.base_url_env] || "https://api.openai.com/v1").replace(/\/+$/, "");
  const key = process.env[model.api_key_env] ?? "";
  const usage = { prompt_tokens: 0, completion_tokens: 0, calls: 0, scripted_model: false };
  async function chat(system, user) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${base}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({
          model: model.model,
          temperature: model.temperature ?? 0,
          messages: [
            { role: "system", content: system },
            { role: "user", content: user },
          ],
        }),
        signal: AbortSignal.timeout((model.request_timeout_sec ?? 300) * 1000),
      });
      if ((res.status === 429 || res.status >= 500) && attempt < 4) {
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** attempt)));
        continue;
      }
      if (!res.ok) throw new Error(`model endpoint answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
      const reply = await res.json();
      usage.calls++;
      usage.prompt_tokens += reply.usage?.prompt_tokens ?? 0;
      usage.completion_tokens += reply.usage?.completion_tokens ?? 0;
      // The scripted mock model marks its replies; the harness then labels the run a dry run.
      if (reply.system_fingerprint === "skilldelta-mock") usage.scripted_model = true;
      return reply.choices?.[0]?.message?.content ?? "";
    }
  }
  /** Chat and parse the reply as JSON (bare or in a ```json fence); one retry with the parse error. */
  async function chatJson(system, user) {
    const text = await chat(system, user);
    try {
      return parseJson(text);
    } catch (error) {
      return parseJson(await chat(system, `${user}\n\nYour previous answer could not be parsed (${error.message}). Answer with the JSON object only.`));
    }
  }
  async function writeUsage() {
    if (process.env.SKILLDELTA_USAGE) await writeFile(process.env.SKILLDELTA_USAGE, JSON.stringify(usage));
  }
  return { chat, chatJson, usage, writeUsage };
}

/** The JSON object in a model reply. @throws Error when there is none */
export function parseJson(text) {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const candidate = fenced ?? text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1);
  try {
    return JSON.parse(candidate);
  } catch {
    throw new Error(`the reply holds no JSON object: ${text.slice(0, 200)}`);
  }
}

/** A folder/skill name the freeze accepts: lowercase kebab-case, at most 64 characters. */
export function slug(s, fallback = "skill") {
  const v = String(s ?? "").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
  return v || fallback;
}

/** Writes `<dir>/SKILL.md` (frontmatter name + description) and extra files (relative path → text). */
export async function writeSkill(dir, { name, description, body }, files = {}) {
  await mkdir(dir, { recursive: true });
  const desc = String(description ?? "").replace(/\s+/g, " ").trim() || name;
  await writeFile(join(dir, "SKILL.md"), `---\nname: ${name}\ndescription: ${JSON.stringify(desc)}\n---\n\n${String(body ?? "").trim()}\n`);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

/** Every SKILL.md under `dir` (any depth), as `### <path>\n<text>` blocks, sorted by path. */
export async function libraryText(dir) {
  const found = [];
  const walk = async (d) => {
    for (const e of (await readdir(d, { withFileTypes: true }).catch(() => [])).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else if (e.name === "SKILL.md") found.push(`### ${relative(dir, join(d, e.name))}\n${await readFile(join(d, e.name), "utf8")}`);
    }
  };
  await walk(dir);
  return found.length ? found.join("\n\n") : "(empty library)";
}

/** One episode as prompt text: task, index, verdict when the feedback level gives one, compacted trace. */
export function episodeText(e) {
  const verdict = e.passed === undefined ? "" : e.passed ? " (passed)" : " (failed)";
  const checks = e.checks?.length ? `\nchecks: ${e.checks.map((c) => `${c.name}=${c.passed ? "ok" : "FAILED"}${c.message ? ` (${c.message})` : ""}`).join(", ")}` : "";
  return `--- attempt ${e.task} #${e.index}${verdict} ---${checks}\n${e.trace}`;
}

/** The text files of a `{ dir, files }` block (corpus, knowledge base), each under a `### <path>` header, capped. */
export async function filesText(block, capChars = 60_000) {
  const parts = [];
  let used = 0;
  for (const f of [...block.files].sort((a, b) => a.path.localeCompare(b.path))) {
    const text = await readFile(join(block.dir, f.path), "utf8").catch(() => "(unreadable)");
    const part = `### ${f.path}\n${text.slice(0, Math.max(0, capChars - used))}`;
    used += part.length;
    parts.push(part);
    if (used >= capChars) break;
  }
  return parts.join("\n\n");
}
