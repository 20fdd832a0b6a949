import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The read-only fixtures of `../shared/fixtures` (real Harbor tasks, Harbor jobs, SkillsBench
 * results). They live beside the repository, not in it, so a clone elsewhere finds them through
 * SKILLDELTA_SHARED_FIXTURES or the workplace's /work/shared.
 */
export const SHARED_FIXTURES = [
  process.env.SKILLDELTA_SHARED_FIXTURES,
  join(import.meta.dirname, "../../../shared/fixtures"),
  "/work/shared/fixtures",
].find((d): d is string => !!d && existsSync(d)) ?? "/work/shared/fixtures";
