/**
 * io: importers that turn other harnesses' outputs into SkillDelta results directories, and
 * exporters (CSV). Imported runs are marked source "imported", attestation "imported".
 */
export { importSkillsBench, RegistryRowSchema, SKILLSBENCH_CONDITIONS, SKILLSBENCH_FAMILY, type RegistryRow } from "./skillsbench.ts";
export { writeImportedRun, slug, type ImportedRun } from "./run-writer.ts";
export { exportCsv, TRIAL_COLUMNS, CELL_COLUMNS } from "./csv.ts";
export { importHarborJobs, classifyHarborTrial, inferCondition, HarborTrialResultSchema, HARBOR_VERIFIER_EXCEPTIONS } from "./harbor.ts";
