/** Skills and skill libraries: parsing SKILL.md, validating and freezing libraries (DESIGN sections 1, 2). */
export { loadLibrary, parseSkillMd, isDirectory, LIBRARY_LIMITS, type Skill, type SkillLibrary, type LibraryProblem } from "./library.ts";
export { freezeLibrary, skillFolders } from "./freeze.ts";
