import { join } from "node:path";

/**
 * Every layout SkillDelta reads or writes, defined once.
 *
 * Task directory (Harbor layout plus SkillDelta's family files):
 * ```
 * tasks/<family>/
 *   family.toml
 *   skills/<skill>/SKILL.md
 *   <task-id>/
 *     instruction.md  task.toml
 *     environment/Dockerfile
 *     tests/test.sh
 *     solution/solve.sh
 * ```
 */
export const taskPaths = (dir: string) => ({
  dir,
  instruction: join(dir, "instruction.md"),
  config: join(dir, "task.toml"),
  environmentDir: join(dir, "environment"),
  dockerfile: join(dir, "environment", "Dockerfile"),
  testsDir: join(dir, "tests"),
  testScript: join(dir, "tests", "test.sh"),
  solutionDir: join(dir, "solution"),
  solveScript: join(dir, "solution", "solve.sh"),
});

export const familyPaths = (dir: string) => ({
  dir,
  config: join(dir, "family.toml"),
  skillsDir: join(dir, "skills"),
});

/**
 * Results of one run (DESIGN section 6):
 * ```
 * results/<run-id>/
 *   run.json  trials.jsonl  summary.json
 *   trials/<trial-id>/   agent.log, verifier.log, reward.json, trajectory.json
 *   libraries/<condition>/<digest>/
 * ```
 */
export const runPaths = (resultsDir: string, runId: string) => {
  const dir = join(resultsDir, runId);
  return {
    dir,
    runJson: join(dir, "run.json"),
    journal: join(dir, "trials.jsonl"),
    summary: join(dir, "summary.json"),
    trialsDir: join(dir, "trials"),
    trialDir: (trialId: string) => join(dir, "trials", trialId),
    librariesDir: join(dir, "libraries"),
    library: (condition: string, digest: string) => join(dir, "libraries", condition, digest),
    lockFile: join(dir, ".lock"),
  };
};

/** Files written per trial, relative to its trial directory. */
export const trialFiles = {
  agentLog: "agent.log",
  verifierLog: "verifier.log",
  reward: "reward.json",
  trajectory: "trajectory.json",
  record: "trial.json",
} as const;

/**
 * Paths inside a sandbox. Tests and the solution are uploaded only when their phase starts,
 * so they do not exist in the container while the agent works.
 */
export const containerPaths = {
  tests: "/tests",
  testScript: "/tests/test.sh",
  solution: "/solution",
  solveScript: "/solution/solve.sh",
  logs: "/logs",
  agentLogs: "/logs/agent",
  verifierLogs: "/logs/verifier",
  rewardTxt: "/logs/verifier/reward.txt",
  rewardJson: "/logs/verifier/reward.json",
  skills: "/skills",
  /** Where coding-agent CLIs look for skills, relative to the agent user's home. */
  agentSkillDirs: [".claude/skills", ".codex/skills", ".agents/skills", ".gemini/skills", ".opencode/skill", ".goose/skills", ".factory/skills"],
} as const;

/** Environments (DESIGN section 4): `environments/<name>/Dockerfile`, built state kept aside. */
export const environmentPaths = (root: string) => ({
  root,
  baseRecipe: join(root, "base", "recipe.toml"),
  baseManifest: join(root, "base", "manifest.txt"),
  envDir: (name: string) => join(root, name),
  dockerfile: (name: string) => join(root, name, "Dockerfile"),
  manifest: (name: string) => join(root, name, "manifest.txt"),
  stateDir: join(root, ".state"),
  state: (name: string) => join(root, ".state", `${name}.json`),
});

/** Docker labels that mark SkillDelta's containers and images, so leftovers can be found. */
export const labels = {
  run: "skilldelta.run",
  trial: "skilldelta.trial",
  pid: "skilldelta.pid",
  host: "skilldelta.host",
  task: "skilldelta.task",
  taskDigest: "skilldelta.task-digest",
  environment: "skilldelta.environment",
} as const;

/** Image naming: environments and task images are tagged by content digest. */
export const imageNames = {
  base: "skilldelta-base",
  environmentRepo: (name: string) => `skilldelta-env/${name}`,
  taskRepo: "skilldelta-task",
} as const;
