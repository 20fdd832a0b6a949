import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { digestJson } from "../core/digest.ts";
import { InputError, errorMessage } from "../core/errors.ts";
import { parseOrThrow } from "../core/zod-errors.ts";

/**
 * `environments/base/recipe.toml`: how the offline base rootfs is bootstrapped. Strict, because
 * it is SkillDelta's own file and a typo (say `includes`) would silently change the image.
 */
export const BaseRecipeSchema = z.strictObject({
  version: z.literal(1),
  /** Debian suite, e.g. `bookworm` */
  suite: z.string().regex(/^[a-z][a-z0-9-]*$/, "expected a Debian suite name like `bookworm`"),
  /** debootstrap `--variant` */
  variant: z.enum(["minbase", "buildd", "fakechroot"]).default("minbase"),
  components: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1).default(["main"]),
  /** apt mirror URL; when absent it is read from the host's apt sources for `suite` */
  mirror: z.url({ protocol: /^https?$/ }).optional(),
  /** extra packages for debootstrap `--include` */
  include: z.array(z.string().regex(/^[a-z0-9][a-z0-9+.-]*$/, "expected a Debian package name")).default([]),
});
export type BaseRecipe = z.infer<typeof BaseRecipeSchema>;

/** A recipe with its mirror resolved: exactly what determines the rootfs, so it is what we hash. */
export interface ResolvedRecipe extends BaseRecipe {
  mirror: string;
  /** where the mirror came from, for messages */
  mirrorSource: string;
}

/**
 * Bumped whenever buildBase changes what it does to the rootfs after debootstrap (cleanup,
 * import changes), so images made by older code get a new tag instead of being reused.
 */
export const BASE_BUILD_FORMAT = 1;

/**
 * Reads and validates a recipe, resolving the mirror from the host when the recipe has none.
 * @throws InputError when the file is missing, malformed or no mirror can be found
 */
export async function loadRecipe(file: string, aptDir = "/etc/apt"): Promise<ResolvedRecipe> {
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw new InputError(`cannot read the base recipe: ${errorMessage(error)}`, { file, hint: "create environments/base/recipe.toml (see environments/README.md)" });
  });
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    throw new InputError(`invalid TOML: ${errorMessage(error).split("\n")[0]}`, { file });
  }
  const recipe = parseOrThrow(BaseRecipeSchema, raw, file);
  if (recipe.mirror) return { ...recipe, mirror: recipe.mirror, mirrorSource: file };
  const found = await hostMirror(recipe.suite, aptDir);
  if (!found) {
    throw new InputError(`no apt source on this host serves suite \`${recipe.suite}\``, {
      file,
      field: "mirror",
      hint: `set mirror = "http://deb.debian.org/debian" (or your local mirror) in the recipe`,
    });
  }
  return { ...recipe, mirror: found.uri, mirrorSource: found.file };
}

/** Content digest of a resolved recipe (mirror included: another mirror may serve other versions). */
export function recipeDigest(recipe: ResolvedRecipe): string {
  const { mirrorSource: _where, ...content } = recipe;
  return digestJson({ format: BASE_BUILD_FORMAT, ...content });
}

/**
 * Finds the first `deb` source for `suite` in the host's apt configuration: deb822 files in
 * sources.list.d (Debian 12's default) first, then one-line `sources.list` entries.
 */
export async function hostMirror(suite: string, aptDir = "/etc/apt"): Promise<{ uri: string; file: string } | undefined> {
  const dir = join(aptDir, "sources.list.d");
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  for (const name of names.filter((n) => n.endsWith(".sources"))) {
    const file = join(dir, name);
    const text = await readFile(file, "utf8").catch(() => "");
    for (const stanza of text.split(/\n\s*\n/)) {
      const fields = parseDeb822(stanza);
      if (fields.enabled?.toLowerCase() === "no") continue;
      if (!(fields.types ?? "").split(/\s+/).includes("deb")) continue;
      if (!(fields.suites ?? "").split(/\s+/).includes(suite)) continue;
      const uri = (fields.uris ?? "").split(/\s+/).find((u) => /^https?:\/\//.test(u));
      if (uri) return { uri, file };
    }
  }
  for (const file of [join(aptDir, "sources.list"), ...names.filter((n) => n.endsWith(".list")).map((n) => join(dir, n))]) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n")) {
      // deb [options] uri suite components...
      const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(https?:\/\/\S+)\s+(\S+)/.exec(line);
      if (m && m[2] === suite) return { uri: m[1]!, file };
    }
  }
  return undefined;
}

/** Minimal deb822 reader: `Key: value` fields, comment lines skipped, keys lowercased. */
function parseDeb822(stanza: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const line of stanza.split("\n")) {
    if (/^\s*#/.test(line) || !line.trim()) continue;
    const m = /^([\w-]+):\s*(.*)$/.exec(line);
    if (m) {
      last = m[1]!.toLowerCase();
      out[last] = m[2]!.trim();
    } else if (last && /^\s/.test(line)) {
      out[last] = `${out[last]} ${line.trim()}`;
    }
  }
  return out;
}
