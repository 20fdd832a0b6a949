import { loadTasks, type LoadProblem, type Task } from "../task/index.ts";
import type { RunConfig } from "./config.ts";

/** The tasks a run config selects: loaded from its paths, then filtered by split and include globs. */
export async function selectTasks(config: Pick<RunConfig, "tasks" | "split" | "include">): Promise<{ tasks: Task[]; problems: LoadProblem[] }> {
  const { tasks, problems } = await loadTasks(config.tasks);
  const selected = tasks
    .filter((t) => config.split === "all" || t.split === config.split || (t.split === undefined && config.split === "evaluation"))
    .filter((t) => !config.include?.length || config.include.some((g) => globMatch(g, t.id)));
  return { tasks: selected, problems };
}

/** `*` matches any run of characters; everything else is literal. */
export function globMatch(glob: string, text: string): boolean {
  const re = new RegExp(`^${glob.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(text);
}
