/**
 * submit: verifiable result bundles (DESIGN section 8). `packRun` checks a run against the
 * submission rules and writes a bundle with a sha256 manifest; `verifyBundle` rejects
 * tampering and recomputes the summary; `regradeRun` re-runs verifiers on archived final states;
 * `reproduceBundle` re-runs the evaluation here and compares it with the submission.
 */
export { packRun, type PackOptions, type PackResult } from "./pack.ts";
export { verifyBundle, leaderboardRows, diffJson, type VerifyOptions, type VerifyReport, type LeaderboardRow } from "./verify.ts";
export { regradeRun, type RegradeDeps, type RegradeOptions, type RegradeReport, type Disagreement } from "./regrade.ts";
export { loadRunDir, protocolProblems, libraryProblems, suiteProblems, MIN_TRIALS, type LoadedRun, type RunProblem } from "./run-checks.ts";
export { screenArchive, extractScreened, entryProblem } from "./archive.ts";
export { BundleManifestSchema, ATTESTATION_TIERS, MANIFEST_NAME, type BundleManifest, type AttestationTier } from "./manifest.ts";
export { reproduceBundle, freshSeed, REPRODUCTION_FILES, type ReproduceDeps, type ReproduceOptions, type ReproduceReport } from "./reproduce.ts";
export { compareSummaries, agreementRule, AGREEMENT_ALPHA, type AgreementRow, type CompareOptions } from "./agreement.ts";
