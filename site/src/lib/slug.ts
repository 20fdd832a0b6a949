/**
 * URL-safe names for runs, tasks, methods and trials. Ids come from result files we do not
 * control, so every path segment the site writes goes through here: the build (pages,
 * copied trajectories) and the client scripts agree on one mapping.
 */

/** 32-bit FNV-1a as 8 hex digits: short, stable, dependency-free disambiguator. */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * Keeps `[A-Za-z0-9._-]` ids as they are; anything else is replaced and a hash of the
 * original appended, so two ids that differ only in unsafe characters never collide.
 */
export function safeSegment(id: string): string {
  if (/^[A-Za-z0-9._-]+$/.test(id) && id !== "." && id !== "..") return id;
  const base = id.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+|-+$/g, "").slice(0, 80);
  return `${base || "x"}-${fnv(id)}`;
}

/** A leaderboard method (`<agent>::<condition>`, agent `*` = pooled) as a path segment. */
export function methodSlug(agent: string, condition: string): string {
  return safeSegment(`${agent === "*" ? "all-agents" : agent}.${condition}`);
}

/** The compare page segment for methods `a` and `b`. */
export function pairSlug(a: string, b: string): string {
  return `${a}--${b}`;
}

export const trialSlug = safeSegment;
export const taskSlug = safeSegment;
export const runSlug = safeSegment;
