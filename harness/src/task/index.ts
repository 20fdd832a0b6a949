/** Tasks: the Harbor task layout plus SkillDelta's families (DESIGN section 3). */
export { loadTask, loadTasks, type Family, type LoadProblem, type LoadResult, type Task } from "./load.ts";
export { lintTask, formatLocation, type LintRule, type LintWarning } from "./lint.ts";
export { parseDockerfile, rewriteDockerfile, isSkillCopy, type Instruction, type Rewrite } from "./dockerfile.ts";
export { addAsset, assetCacheDir, assetError, assetPath, checkAsset, hashFile, stageAssets, taskAssets, ADD_COMMAND, ASSET_CACHE_ENV, type AddedAsset, type AssetState, type AssetStatus } from "./assets.ts";
export { FamilyTomlSchema, TaskTomlSchema, TaskAssetSchema, type TaskAsset, TASK_ROLES, TASK_SPLITS, type FamilyToml, type TaskToml } from "./schema.ts";
