/**
 * Just enough Dockerfile understanding for SkillDelta: logical instructions with their line
 * numbers (continuations joined), and the rewrites applied before a build.
 */
export interface Instruction {
  /** 1-based line where the instruction starts */
  line: number;
  keyword: string;
  args: string;
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const start = i;
    let buf = lines[i] ?? "";
    if (/^\s*(#|$)/.test(buf)) {
      i++;
      continue;
    }
    // heredoc bodies (RUN <<EOF ... EOF) belong to the instruction that opened them
    const heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(buf);
    while (buf.endsWith("\\") && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? "";
      if (/^\s*#/.test(next)) continue;
      buf = `${buf.slice(0, -1)} ${next}`;
    }
    if (heredoc) {
      const end = heredoc[1]!;
      while (i + 1 < lines.length && (lines[i + 1] ?? "").trim() !== end) buf += `\n${lines[++i]}`;
      if (i + 1 < lines.length) buf += `\n${lines[++i]}`;
    }
    const m = /^\s*(\w+)\s*(.*)$/s.exec(buf);
    if (m) out.push({ line: start + 1, keyword: m[1]!.toUpperCase(), args: m[2]!.trim() });
    i++;
  }
  return out;
}

/** `COPY skills /root/.claude/skills`-style lines that bake a skill library into a foreign image. */
export function isSkillCopy(ins: Instruction): boolean {
  if (ins.keyword !== "COPY" && ins.keyword !== "ADD") return false;
  const parts = ins.args.split(/\s+/).filter((p) => !p.startsWith("--"));
  const sources = parts.slice(0, -1);
  const dest = parts.at(-1) ?? "";
  return sources.some((s) => /(^|\/)skills\/?$/.test(s)) || /\/(skills?|\.agents|\.claude)(\/|$)/.test(dest) && sources.some((s) => /skill/i.test(s));
}

export interface Rewrite {
  /** Dockerfile text to build */
  text: string;
  /** 1-based lines that were commented out */
  neutralisedLines: number[];
  /** base image references after rewriting */
  from: string[];
}

/**
 * Prepares a task Dockerfile for building: skill COPY lines are commented out (skills are
 * mounted per condition at run time, so every condition shares one image digest), and
 * `FROM <name>` references that `resolveFrom` knows are pinned to a content-tagged image.
 */
export function rewriteDockerfile(text: string, resolveFrom: (ref: string) => string | undefined): Rewrite {
  const lines = text.split(/\r?\n/);
  const neutralisedLines: number[] = [];
  const from: string[] = [];
  for (const ins of parseDockerfile(text)) {
    const idx = ins.line - 1;
    if (isSkillCopy(ins)) {
      neutralisedLines.push(ins.line);
      let j = idx;
      do {
        lines[j] = `# [skilldelta: skills are mounted per condition] ${lines[j]}`;
      } while ((lines[j] ?? "").endsWith("\\") && ++j < lines.length);
    } else if (ins.keyword === "FROM") {
      const [ref = "", ...rest] = ins.args.split(/\s+/).filter((p) => !p.startsWith("--"));
      const pinned = resolveFrom(ref);
      if (pinned) lines[idx] = (lines[idx] ?? "").replace(ref, pinned);
      from.push(pinned ?? ref);
      void rest;
    }
  }
  return { text: lines.join("\n"), neutralisedLines, from };
}
