/** Skill-learning methods (DESIGN section 5): the Learner interface, built-ins, plug-ins, learning context and leakage guard. */
export { LearningConfigSchema, MethodConfigSchema, SkillModelSchema, FeedbackLevelSchema, FEEDBACK_LEVELS, roundsOf, roundCondition, type LearningConfig, type MethodConfig, type MethodKind, type SkillModel, type FeedbackLevel, type RoundPlan } from "./config.ts";
export { LearningContextSchema, EpisodeSchema, ReadableDirSchema, LEARNING_CONTEXT_VERSION, LIBRARY_RULES, episodeAt, type LearningContext, type Episode, type EpisodeSource, type ReadableDir } from "./context.ts";
export { ExploreRequestSchema, readExploreRequest, EXPLORE_FILE, type ExploreRequest, type ExploreAttempt } from "./explore.ts";
export { readableDir } from "./inputs.ts";
export { ZERO_COST, type Learner, type LearnerRuntime, type LearningCost } from "./types.ts";
export { createLearner, methodKinds } from "./registry.ts";
export { MethodUsageSchema, type ProcessDeps } from "./command.ts";
export { guardedCommand, assertNamespaces, type GuardSpec } from "./guard.ts";
export { parseSkills, writeDraftLibrary, SkillWriter, SKILL_JSON_FORMAT, type DraftSkill } from "./model.ts";
export { episodeText } from "./builtins.ts";
