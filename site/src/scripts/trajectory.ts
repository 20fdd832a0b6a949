/**
 * Renders an ATIF-style trajectory (harness/src/agent/trajectory.ts) defensively: every field
 * is optional here, every string goes through textContent, nothing from the file becomes a
 * URL, attribute name or HTML. Long observations are capped with a button to show the rest.
 */
const CAP = 4000;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v, null, 2));
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function el(tag: string, text?: string, cls?: string): HTMLElement {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** A <pre> showing at most CAP characters, with a button revealing the rest. */
function capped(text: string): HTMLElement {
  const box = el("div");
  const pre = el("pre", text.length > CAP ? text.slice(0, CAP) : text);
  box.append(pre);
  if (text.length > CAP) {
    const b = el("button", `Show all (${(text.length - CAP).toLocaleString("en-US")} more characters)`) as HTMLButtonElement;
    b.type = "button";
    b.addEventListener("click", () => { pre.textContent = text; b.remove(); });
    box.append(b);
  }
  return box;
}

export async function initTrajectory(): Promise<void> {
  const root = document.querySelector<HTMLElement>("#trajectory");
  if (!root) return;
  const p = new URLSearchParams(location.search);
  const run = p.get("run") ?? "";
  const trial = p.get("trial") ?? "";
  const safe = /^[A-Za-z0-9._-]+$/;
  if (!safe.test(run) || !safe.test(trial) || run.startsWith(".") || trial.startsWith(".")) {
    root.replaceChildren(el("p", "No trajectory selected: open one from a task page's trial list.", "note"));
    return;
  }
  let data: unknown;
  try {
    const res = await fetch(`${root.dataset.base}${run}/trajectories/${trial}.json`);
    if (!res.ok) throw new Error(res.status === 404 ? "this trial has no trajectory in the build" : `HTTP ${res.status}`);
    data = await res.json();
  } catch (error) {
    root.replaceChildren(el("p", `Could not load the trajectory: ${(error as Error).message}`, "note warn"));
    return;
  }
  root.replaceChildren(render(isObj(data) ? data : {}, run, trial));
}

function render(t: Obj, run: string, trial: string): HTMLElement {
  const out = el("div");
  const agent = isObj(t.agent) ? t.agent : {};
  const x = isObj(t.extra) ? t.extra : {};
  out.append(el("p", `Run ${run} · trial ${trial} · session ${str(t.session_id)}`, "muted"));
  const facts = el("dl", undefined, "cards");
  const fact = (k: string, v: string) => {
    const d = el("div", undefined, "card");
    d.append(el("dt", k, "muted"), el("dd", v || "—"));
    d.lastElementChild!.setAttribute("style", "margin:0;font-weight:600");
    facts.append(d);
  };
  fact("Agent", `${str(agent.name)}${agent.model_name ? ` (${str(agent.model_name)})` : ""}`);
  fact("Stopped", `${str(x.stop_reason)}${x.error ? ` — ${str(x.error)}` : ""}`);
  fact("Skills offered", arr(x.skills_offered).map(str).join(", ") || "none");
  const events = arr(x.skill_events).filter(isObj);
  const used = [...new Set(events.filter((e) => e.type !== "skill_listed").map((e) => str(e.skill)))];
  fact("Skills used", used.join(", ") || "none");
  const fm = isObj(t.final_metrics) ? t.final_metrics : {};
  fact("Tokens in / out", `${str(fm.total_prompt_tokens ?? "—")} / ${str(fm.total_completion_tokens ?? "—")}`);
  out.append(facts);
  if (x.scripted_model === true) out.append(el("p", "Replies came from the scripted mock model: not a model result.", "note warn"));

  const byStep = new Map<number, Obj[]>();
  for (const e of events) {
    const id = Number(e.step_id);
    byStep.set(id, [...(byStep.get(id) ?? []), e]);
  }
  const steps = arr(t.steps).filter(isObj);
  out.append(el("h2", `${steps.length} steps`));
  const list = el("ol", undefined, "steps");
  for (const s of steps) {
    const li = el("li");
    const ev = byStep.get(Number(s.step_id)) ?? [];
    if (ev.some((e) => e.type !== "skill_listed")) li.classList.add("skill");
    const head = el("div", undefined, "step-head");
    head.append(el("strong", `#${str(s.step_id)} ${str(s.source)}`));
    if (s.timestamp) head.append(el("span", str(s.timestamp)));
    const m = isObj(s.metrics) ? s.metrics : null;
    if (m && m.prompt_tokens !== undefined) head.append(el("span", `tokens in ${str(m.prompt_tokens)} · out ${str(m.completion_tokens ?? 0)} · cached ${str(m.cached_tokens ?? 0)}`));
    li.append(head);
    for (const e of ev) li.append(el("div", `★ ${str(e.type)}: ${str(e.skill)}${e.path ? `/${str(e.path)}` : ""} (via ${str(e.via)})`, "skill-event"));
    const msg = str(s.message).trim();
    if (msg) li.append(capped(msg));
    if (s.reasoning_content) {
      const d = el("details");
      d.append(el("summary", "Reasoning"), capped(str(s.reasoning_content)));
      li.append(d);
    }
    const results = isObj(s.observation) ? arr(s.observation.results).filter(isObj) : [];
    for (const call of arr(s.tool_calls).filter(isObj)) {
      const args = isObj(call.arguments) ? call.arguments : {};
      const shown = call.function_name === "bash" && typeof args.command === "string" ? `$ ${args.command}` : str(args);
      li.append(el("div", `→ ${str(call.function_name)}`, "mono"), capped(shown));
      const r = results.find((o) => o.source_call_id === call.tool_call_id);
      if (r && r.content !== undefined) {
        const d = el("details");
        const content = str(r.content);
        d.append(el("summary", `Observation (${content.length.toLocaleString("en-US")} characters)`), capped(content));
        li.append(d);
      }
    }
    // observations not tied to a call (e.g. environment messages)
    for (const r of results.filter((o) => !arr(s.tool_calls).some((c) => isObj(c) && c.tool_call_id === o.source_call_id))) {
      const d = el("details");
      d.append(el("summary", "Observation"), capped(str(r.content)));
      li.append(d);
    }
    list.append(li);
  }
  out.append(list);
  return out;
}
