import { createServer, type Server } from "node:http";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, existsSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { SummarySchema, type Summary } from "../src/analysis/index.ts";
import { writeSyntheticRun } from "../../site/tools/fixture.ts";
import { buildSite } from "../../site/tools/build.ts";

/**
 * The site in a real browser: one build against a small synthetic run (made through the real
 * analysis code, marked synthetic, in a temp dir) plus the committed public SkillsBench import,
 * served by a tiny static server, driven with Debian's chromium.
 */
const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const shots = join(repo, "harness/test/.output/screenshots");
const publicRun = join(repo, "results/skillsbench-public");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".csv": "text/csv", ".svg": "image/svg+xml" };

let out: string;
let server: Server;
let base: string;
let browser: Browser;
let synth: Summary;

function serve(dir: string): Promise<Server> {
  const s = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let f = join(dir, path);
    if (!f.startsWith(dir)) return void res.writeHead(403).end();
    if (existsSync(f) && statSync(f).isDirectory()) f = join(f, "index.html");
    if (!existsSync(f)) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": TYPES[extname(f)] ?? "application/octet-stream" }).end(readFileSync(f));
  });
  return new Promise((r) => s.listen(0, "127.0.0.1", () => r(s)));
}

async function open(path: string, opts: { width?: number; scheme?: "light" | "dark" } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1280, height: 900 }, colorScheme: opts.scheme ?? "light" });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(base + path);
  return { page, errors };
}

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), "sd-site-"));
  const results = join(root, "results");
  mkdirSync(results);
  await writeSyntheticRun(results, {
    id: "synthetic-fixture", resamples: 200, trajectories: true,
    plan: { seed: 7, tasks: 8, conditions: ["no-skill", "raw-trace", "curated", "self-evolved"], agents: 2, trials: 5, effect: { curated: 0.2, "self-evolved": 0.1 }, infraRate: 0.05 },
  });
  if (existsSync(join(publicRun, "summary.json"))) symlinkSync(publicRun, join(results, "skillsbench-public"));
  synth = SummarySchema.parse(JSON.parse(readFileSync(join(results, "synthetic-fixture/summary.json"), "utf8")));
  out = (await buildSite({ results, out: join(root, "dist") })).out;
  server = await serve(out);
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  mkdirSync(shots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

const PAIR = "/compare/synthetic-fixture/agent-0.curated--agent-0.no-skill/";
const PAGES = ["/", "/runs/", "/runs/synthetic-fixture/", "/tasks/", "/tasks/task-0001/", "/compare/synthetic-fixture/", PAIR, "/methods/", "/protocol/", "/submit/"];

describe("site build", () => {
  it("opens every page type without script errors", async () => {
    const pages = existsSync(join(publicRun, "summary.json")) ? [...PAGES, "/runs/skillsbench-public/", "/compare/skillsbench-public/codex-gpt-5.5.curated--codex-gpt-5.5.no-skill/"] : PAGES;
    for (const path of pages) {
      const { page, errors } = await open(path);
      expect(await page.locator("h1").count(), path).toBe(1);
      await page.waitForLoadState("load");
      expect(errors, path).toEqual([]);
      await page.close();
    }
  });

  it("renders the public SkillsBench import as leaderboard rows", async () => {
    if (!existsSync(join(publicRun, "summary.json"))) return;
    const { page } = await open("/");
    expect(await page.locator('#leaderboard tbody tr[data-attestation="imported"]').count()).toBeGreaterThan(10);
    await page.close();
  });

  it("sorts and filters the leaderboard with the state in the URL", async () => {
    const { page } = await open("/");
    const values = (attr: string) => page.$$eval(`#leaderboard tbody tr:not([hidden])`, (rows, a) => rows.map((r) => (r as HTMLElement).getAttribute(a) ?? ""), attr);
    await page.getByRole("button", { name: "Δ vs no-skill" }).click();
    expect(new URL(page.url()).searchParams.get("sort")).toBe("delta");
    expect(new URL(page.url()).searchParams.get("dir")).toBe("desc");
    const d = await values("data-k-delta");
    const nums = d.filter((x) => x !== "").map(Number);
    expect(nums).toEqual([...nums].sort((a, b) => b - a));
    expect(d.slice(nums.length).every((x) => x === ""), "rows without a delta sort last").toBe(true);
    await page.getByRole("button", { name: "Δ vs no-skill" }).click();
    expect(new URL(page.url()).searchParams.get("dir")).toBe("asc");
    const asc = (await values("data-k-delta")).filter((x) => x !== "").map(Number);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));

    await page.getByLabel("Condition").selectOption("self-evolved");
    expect(new URL(page.url()).searchParams.get("condition")).toBe("self-evolved");
    const conds = await values("data-condition");
    expect(conds.length).toBe(synth.methods.filter((m) => m.condition === "self-evolved").length);
    expect(new Set(conds)).toEqual(new Set(["self-evolved"]));
    // a shared URL restores the view
    const shared = page.url();
    const again = await browser.newPage();
    await again.goto(shared);
    expect(await again.getByLabel("Condition").inputValue()).toBe("self-evolved");
    expect(await again.locator("#leaderboard tbody tr:not([hidden])").count()).toBe(conds.length);
    expect(await again.locator('th[data-col="delta"]').getAttribute("aria-sort")).toBe("ascending");
    await again.close();
    await page.close();
  });

  it("navigates to a compare page whose grid matches summary.json", async () => {
    const { page } = await open("/?condition=curated&model=synthetic-model-0");
    await page.locator("#leaderboard tbody tr:not([hidden]) td a.pos, #leaderboard tbody tr:not([hidden]) td:nth-child(3) a").first().click();
    await page.waitForURL(`**${PAIR}`);
    const c = synth.contrasts.find((x) => x.id === "agent-0::curated::vs::no-skill")!;
    const g = c.grid.find((r) => r.task === "task-0001")!;
    const row = page.locator('#grid tr[data-task="task-0001"]');
    expect(await row.locator('td[data-side="a"]').getAttribute("data-outcomes")).toBe(g.a);
    const glyphs = await row.locator('td[data-side="a"] .o').evaluateAll((els) => els.map((e) => e.className.replace("o ", "").replace("x", ".")).join(""));
    expect(glyphs).toBe(g.a);
    const bRow = row.locator("xpath=following-sibling::tr[1]");
    expect(await bRow.locator('td[data-side="b"]').getAttribute("data-outcomes")).toBe(g.b);
    const sign = c.delta!.estimate > 0 ? "+" : "";
    expect(await page.locator('[data-stat="delta"]').textContent()).toBe(`${sign}${(c.delta!.estimate * 100).toFixed(1)} pp`);
    expect(await page.locator('[data-stat="wtl"]').textContent()).toBe(`${c.win} / ${c.tie} / ${c.loss}`);
    await page.close();
  });

  it("lets the reader pick an undeclared pair and shows it without invented statistics", async () => {
    const { page, errors } = await open("/compare/synthetic-fixture/");
    await page.getByLabel("Method A (with)").selectOption("agent-0.curated");
    await page.getByLabel("Method B (baseline)").selectOption("agent-1.raw-trace");
    await page.getByRole("button", { name: "Compare" }).click();
    await page.locator("#pair-view table tbody tr").first().waitFor();
    expect(await page.locator("#pair-view table tbody tr").count()).toBe(synth.tasks.length);
    expect(await page.locator("#pair-view").textContent()).toContain("no paired delta");
    // a declared pair picked the same way lands on its pre-rendered page
    await page.getByLabel("Method B (baseline)").selectOption("agent-0.no-skill");
    await page.getByRole("button", { name: "Compare" }).click();
    await page.waitForURL(`**${PAIR}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("keeps a hostile trajectory inert", async () => {
    const { page, errors } = await open("/tasks/task-0000/");
    const link = page.locator("table.trials-table tr", { hasText: "curated" }).getByRole("link", { name: "view" }).first();
    await link.click();
    await page.locator("ol.steps > li").first().waitFor();
    await page.locator("summary", { hasText: "Observation" }).first().click();
    await page.getByRole("button", { name: /Show all/ }).first().click();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    const injected = await page.locator("#trajectory script, #trajectory img, #trajectory svg, #trajectory a, #trajectory [onerror], #trajectory [onload]").count();
    expect(injected).toBe(0);
    const text = (await page.locator("#trajectory").textContent()) ?? "";
    expect(text).toContain('<script>window.__pwned = "script"</script>');
    expect(text).toContain("javascript:window.__pwned");
    expect(await page.locator("ol.steps > li.skill").count()).toBe(1);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(shots, "trajectory-hostile-desktop.png"), fullPage: true });
    await page.close();
  });

  it("resolves every internal link and asset of the build", () => {
    const html: string[] = [];
    const walk = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".html") && html.push(join(d, e.name)); };
    walk(out);
    const missing = new Set<string>();
    let checked = 0;
    for (const f of html) {
      for (const m of readFileSync(f, "utf8").matchAll(/(?:href|src|action)="([^"]*)"/g)) {
        const raw = m[1]!.replace(/&amp;/g, "&");
        if (!raw.startsWith("/") || raw.startsWith("//")) continue;
        const path = decodeURIComponent(raw.split(/[?#]/)[0]!);
        const target = join(out, path);
        const ok = existsSync(target) && (statSync(target).isFile() || existsSync(join(target, "index.html")));
        checked++;
        if (!ok) missing.add(`${raw} (from ${f.slice(out.length)})`);
      }
    }
    expect([...missing]).toEqual([]);
    expect(checked).toBeGreaterThan(100);
    // the trajectory links point at files the build copied
    expect(readdirSync(join(out, "data/synthetic-fixture/trajectories")).length).toBe(4);
  });

  it("has no serious or critical axe violations, light and dark", async () => {
    const paths = ["/", PAIR, "/tasks/task-0000/", "/runs/synthetic-fixture/", "/compare/synthetic-fixture/", "/methods/",
      "/trajectory/?run=synthetic-fixture&trial=" + readdirSync(join(out, "data/synthetic-fixture/trajectories"))[0]!.replace(/\.json$/, "")];
    // every page in light; the pages with the most colour (charts, grid, badges) in dark too
    for (const scheme of ["light", "dark"] as const) {
      for (const path of scheme === "light" ? paths : paths.slice(0, 2)) {
        const { page } = await open(path, { scheme });
        await page.waitForLoadState("load");
        if (path.startsWith("/trajectory/")) await page.locator("ol.steps > li").first().waitFor();
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const r = await (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe.run({ resultTypes: ["violations"] });
          return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
        });
        expect(violations, `${scheme} ${path}`).toEqual([]);
        await page.close();
      }
    }
  });

  it("saves screenshots of the main pages at desktop and phone widths", async () => {
    const traj = readdirSync(join(out, "data/synthetic-fixture/trajectories")).find((f) => f.includes("curated"))!.replace(/\.json$/, "");
    const pages: [string, string][] = [
      ["leaderboard", "/"], ["compare", PAIR], ["task", "/tasks/task-0000/"], ["run", "/runs/synthetic-fixture/"],
      ["trajectory", `/trajectory/?run=synthetic-fixture&trial=${traj}`],
    ];
    if (existsSync(join(publicRun, "summary.json"))) pages.push(["compare-public", "/compare/skillsbench-public/codex-gpt-5.5.curated--codex-gpt-5.5.no-skill/"]);
    for (const [name, path] of pages) {
      for (const [label, width, scheme] of [["desktop", 1280, "light"], ["phone", 390, "dark"]] as const) {
        const { page } = await open(path, { width, scheme });
        await page.waitForLoadState("load");
        if (name === "trajectory") await page.locator("ol.steps > li").first().waitFor();
        await page.screenshot({ path: join(shots, `${name}-${label}.png`), fullPage: name !== "leaderboard" || label === "desktop" });
        await page.close();
      }
    }
    expect(readdirSync(shots).filter((f) => f.endsWith(".png")).length).toBeGreaterThanOrEqual(10);
  });
});
