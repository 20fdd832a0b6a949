import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Family, Task } from "../../task/index.ts";
import { parseDockerfile } from "../../task/index.ts";

/**
 * The markdown table of tasks/README.md: family, domain, tasks by role, Debian packages of its
 * environment, and what the skill carries — generated from the files, so it cannot go stale.
 */
export async function suiteTable(tasks: Task[], families: Family[], environmentsRoot: string): Promise<string> {
  const rows = ["| family | domain | tasks (acquisition / transfer / trap / composition / other) | Debian packages | what the skill carries | where the knowledge lives |", "|---|---|---|---|---|---|"];
  for (const f of [...families].sort((a, b) => a.id.localeCompare(b.id))) {
    const ts = tasks.filter((t) => t.family === f);
    const count = (role: string) => ts.filter((t) => t.role === role).length;
    const other = ts.length - ["acquisition", "transfer", "trap", "composition"].reduce((n, r) => n + count(r), 0);
    const pkgs = f.config?.environment ? await aptPackages(join(environmentsRoot, f.config.environment, "Dockerfile")) : [];
    const cell = (s: string | undefined) => (s ?? "").replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
    rows.push(
      `| \`${f.id}\` | ${cell(f.config?.domain)} | ${ts.length} (${count("acquisition")} / ${count("transfer")} / ${count("trap")} / ${count("composition")} / ${other}) | ${pkgs.map((p) => `\`${p}\``).join(" ")} | ${cell(f.config?.why_a_skill_helps)} | ${cell(f.config?.where_the_knowledge_lives)} |`,
    );
  }
  return rows.join("\n");
}

async function aptPackages(dockerfile: string): Promise<string[]> {
  const text = await readFile(dockerfile, "utf8").catch(() => "");
  const pkgs = new Set<string>();
  for (const ins of parseDockerfile(text)) {
    if (ins.keyword !== "RUN") continue;
    for (const m of ins.args.matchAll(/apt-get\s+install\s+([^&;|]+)/g)) {
      for (const word of m[1]!.split(/\s+/)) if (word && !word.startsWith("-") && /^[a-z0-9][a-z0-9.+-]+$/.test(word)) pkgs.add(word);
    }
  }
  return [...pkgs].sort();
}
