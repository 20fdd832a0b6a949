/** Skills and skill libraries: parsing SKILL.md, validating and freezing libraries (DESIGN sections 1, 2). */
export { loadLibrary, parseSkillMd, isDirectory, topLevelSkills, subSkills, isNested, resolveSkill, LIBRARY_LIMITS, type Skill, type SkillLibrary, type LibraryProblem } from "./library.ts";
export { freezeLibrary, skillFolders } from "./freeze.ts";
export { compactTrajectory, traceSkillMd, traceEntryName, writeRawTraceEntries, DEFAULT_COMPACTION, type CompactionCaps, type TraceEpisode, type RawTraceEntry } from "./raw-trace.ts";
export { retrieveTopK } from "./retrieve.ts";
