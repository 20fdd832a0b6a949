import { createServer, type Server } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { SummarySchema, type Summary } from "../src/analysis/index.ts";
import { writeSyntheticRun } from "../../site/tools/fixture.ts";
import { buildSite } from "../../site/tools/build.ts";
import { taskSlug } from "../../site/src/lib/slug.ts";

/**
 * Issue 11 on the site, in a real browser: a synthetic run (real analysis code path, marked
 * synthetic, temp dir) with two agent configs, a library built with each (run.json
 * library_meta), per-round conditions, skill tokens and a chance baseline in the records. The
 * page must show the numbers of summary.json: skill-token column, chance beside rates, the
 * score-by-round plot and table, the transfer table and the cross-agent compare page.
 */
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".csv": "text/csv" };
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const RUN = "issue11-fixture";
const shots = join(fileURLToPath(new URL(".", import.meta.url)), ".output/screenshots");
let root: string;
let server: Server;
let base: string;
let browser: Browser;
let s: Summary;

// the site's display formatting (site/src/lib/format.ts), restated to check the rendered text
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pp = (x: number) => `${x > 0 ? "+" : ""}${(x * 100).toFixed(1)} pp`;
const tok = (x: number) => Math.round(x).toLocaleString("en-US");

function serve(dir: string): Promise<Server> {
  const srv = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let f = join(dir, path);
    if (!f.startsWith(dir)) return void res.writeHead(403).end();
    if (existsSync(f) && statSync(f).isDirectory()) f = join(f, "index.html");
    if (!existsSync(f)) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": TYPES[extname(f)] ?? "application/octet-stream" }).end(readFileSync(f));
  });
  return new Promise((r) => srv.listen(0, "127.0.0.1", () => r(srv)));
}

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(base + path);
  await page.waitForLoadState("load");
  return { page, errors };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sd-site11-"));
  const results = join(root, "results");
  mkdirSync(results);
  await writeSyntheticRun(results, {
    id: RUN, resamples: 200,
    plan: {
      seed: 5, tasks: 6, conditions: ["no-skill", "curated", "curated-b", "curated@r1", "curated@r2"], agents: 2, trials: 4,
      effect: { curated: 0.25, "curated-b": 0.15, "curated@r1": 0.05, "curated@r2": 0.15 },
    },
    contrasts: [["agent-1/no-skill", "agent-0/curated"], ["curated", "no-skill"]],
    libraryMeta: {
      curated: { built_with: "agent-0", method: "m", round: 3 },
      "curated-b": { built_with: "agent-1", method: "m" },
      "curated@r1": { built_with: "agent-0", method: "m", round: 1, of: "curated" },
      "curated@r2": { built_with: "agent-0", method: "m", round: 2, of: "curated" },
    },
    decorate: (r) => ({
      ...r,
      skill_tokens: r.condition === "no-skill"
        ? { listing: 0, loaded: 0, tool_defs: 0, total: 0, step_max: 0, step_sum: 0, steps: 0 }
        : { listing: 150, loaded: 50 + 10 * r.index, tool_defs: 30, total: 230 + 10 * r.index, step_max: 90, step_sum: 300 + r.index, steps: 4 },
      ...(Number(r.task.slice(-1)) % 2 === 0 ? { chance: 0.2 } : {}),
    }),
  });
  s = SummarySchema.parse(JSON.parse(readFileSync(join(results, RUN, "summary.json"), "utf8")));
  const out = (await buildSite({ results, out: join(root, "dist") })).out;
  server = await serve(out);
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("issue 11 on the site", () => {
  it("the fixture's summary has every issue-11 field", () => {
    expect(s.rounds?.length).toBe(3); // curated × (agent-0, agent-1, pooled)
    expect(s.transfer?.map((t) => [t.condition, t.evaluated_with, t.own_condition])).toEqual([["curated", "agent-1", "curated-b"], ["curated-b", "agent-0", "curated"]]);
    expect(s.methods.every((m) => m.skill_tokens && m.chance)).toBe(true);
    expect(s.contrasts.some((c) => c.agent_a === "agent-1")).toBe(true);
  });

  it("run page: skill-token column and chance beside each rate, with the summary's numbers", async () => {
    const { page, errors } = await open(`/runs/${RUN}/`);
    for (const m of s.methods) {
      const row = page.locator(`tr[data-method="${m.id}"]`);
      const cell = (await row.locator('[data-stat="skill-tokens"]').textContent())!;
      const step = m.skill_tokens!.per_step;
      expect(cell, m.id).toBe(`${tok(m.skill_tokens!.per_trial)}${step === null ? "—" : tok(step)} / step`);
      expect(await row.locator('[data-stat="chance"]').textContent()).toBe(`chance ${pct(m.chance!.mean)}`);
    }
    expect(await page.locator("th", { hasText: "Skill tokens / trial" }).count()).toBe(1);
    // the fixture's skill rows carry 230 + 10 × index tokens (index 0..3): mean 245 per trial
    expect(await page.locator('tr[data-method="agent-0::curated"] [data-stat="skill-tokens"]').textContent()).toMatch(/^245/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("run page: score-by-round plot and table", async () => {
    const { page, errors } = await open(`/runs/${RUN}/`);
    expect(await page.locator("#rounds-figure").isVisible()).toBe(true);
    const box = await page.locator("#rounds").boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    // chart.js drew something: the canvas is not blank
    const inked = await page.locator("#rounds").evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(1000);
    const rows = page.locator("#rounds-table tbody tr");
    const points = s.rounds!.flatMap((r) => r.points.map((p) => ({ r, p })));
    expect(await rows.count()).toBe(points.length);
    for (const [i, { r, p }] of points.entries()) {
      const row = rows.nth(i);
      expect(await row.getAttribute("data-series")).toBe(`${r.agent}::${r.base}`);
      expect(Number(await row.getAttribute("data-est"))).toBe(p.macro!.estimate);
      const cells = await row.locator("td").allTextContents();
      expect(cells[1]).toBe(String(p.round));
      expect(cells[3]!.startsWith(pct(p.macro!.estimate))).toBe(true);
      expect(cells[5]).toBe(String(p.matched_trials));
    }
    expect(points.map(({ p }) => p.condition).slice(0, 3)).toEqual(["curated@r1", "curated@r2", "curated"]);
    expect(errors).toEqual([]);
    mkdirSync(shots, { recursive: true });
    await page.locator("#rounds-figure").screenshot({ path: join(shots, "run-rounds-desktop.png") });
    await page.screenshot({ path: join(shots, "run-issue11-desktop.png"), fullPage: true });
    await page.close();
  });

  it("run page: transfer table with the summary's deltas", async () => {
    const { page } = await open(`/runs/${RUN}/`);
    const rows = page.locator("#transfer tbody tr");
    expect(await rows.count()).toBe(s.transfer!.length);
    for (const t of s.transfer!) {
      const row = page.locator(`#transfer tr[data-condition="${t.condition}"][data-evaluated="${t.evaluated_with}"]`);
      expect((await row.locator('[data-stat="vs-no-skill"]').textContent())!.startsWith(pp(t.vs_no_skill!.delta!.estimate))).toBe(true);
      expect((await row.locator('[data-stat="vs-own"]').textContent())!.startsWith(pp(t.vs_own!.delta!.estimate))).toBe(true);
      expect(await row.textContent()).toContain(t.own_condition!);
    }
    await page.close();
  });

  it("leaderboard: skill-token column (sortable) and chance beside the rate", async () => {
    const { page, errors } = await open("/");
    expect(await page.locator('th[data-col="skill"]').count()).toBe(1);
    expect(await page.locator('#leaderboard [data-stat="chance"]').count()).toBe(s.methods.length);
    await page.getByRole("button", { name: "Skill tokens / trial" }).click();
    const vals = (await page.$$eval("#leaderboard tbody tr", (rs) => rs.map((r) => (r as HTMLElement).dataset.kSkill ?? ""))).map(Number);
    expect(vals).toEqual([...vals].sort((a, b) => b - a));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("task page: the chance baseline of a task that declares one, and none where it does not", async () => {
    const withChance = s.tasks.find((t) => typeof t.chance === "number")!;
    const without = s.tasks.find((t) => t.chance === null || t.chance === undefined)!;
    const a = await open(`/tasks/${taskSlug(withChance.task)}/`);
    expect(await a.page.locator('[data-stat="chance"]').textContent()).toContain(`${Math.round(withChance.chance! * 100)}%`);
    expect(a.errors).toEqual([]);
    await a.page.close();
    const b = await open(`/tasks/${taskSlug(without.task)}/`);
    expect(await b.page.locator('[data-stat="chance"]').count()).toBe(0);
    await b.page.close();
  });

  it("cross-agent contrast gets its compare page", async () => {
    const c = s.contrasts.find((x) => x.agent_a === "agent-1" && x.agent_b === "agent-0")!;
    const { page, errors } = await open(`/compare/${RUN}/agent-1.no-skill--agent-0.curated/`);
    expect(await page.locator('[data-stat="delta"]').textContent()).toBe(pp(c.delta!.estimate));
    expect(await page.locator("main").textContent()).toContain("two agent configs");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("has no serious or critical axe violations on the run page", async () => {
    const { page } = await open(`/runs/${RUN}/`);
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const r = await (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run({ resultTypes: ["violations"] });
      return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
    });
    expect(violations).toEqual([]);
    await page.close();
  });
});
