// Pure parts of docker-exec.ts: Docker's stream framing and the output cap, over awkward chunk borders.
import { describe, expect, test } from "vitest";
import { CappedOutput, createDemuxer, truncationMarker } from "../src/sandbox/docker-exec.ts";
import { parseOomKill } from "../src/sandbox/docker-sandbox.ts";

function frame(type: 1 | 2, payload: string): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe("createDemuxer", () => {
  test("splits frames cut at every possible byte border", () => {
    const wire = Buffer.concat([frame(1, "hello "), frame(2, "oops"), frame(1, "wörld"), frame(2, "")]);
    for (let size = 1; size <= wire.length; size++) {
      const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
      const demux = createDemuxer((stream, payload) => got[stream].push(Buffer.from(payload)));
      for (let i = 0; i < wire.length; i += size) demux(wire.subarray(i, i + size));
      expect(Buffer.concat(got.stdout).toString()).toBe("hello wörld");
      expect(Buffer.concat(got.stderr).toString()).toBe("oops");
    }
  });
});

describe("CappedOutput", () => {
  test("keeps the first bytes, counts the rest and appends the marker", () => {
    const live: string[] = [];
    const out = new CappedOutput(10, (t) => live.push(t));
    out.push(Buffer.from("0123456"));
    out.push(Buffer.from("789abcdef"));
    out.push(Buffer.from("xyz"));
    expect(out.omitted).toBe(9);
    const text = out.finish();
    expect(text).toBe(`0123456789${truncationMarker(9)}`);
    expect(live.join("")).toBe(text);
  });

  test("does not split a multibyte character in the live stream", () => {
    const live: string[] = [];
    const out = new CappedOutput(100, (t) => live.push(t));
    const bytes = Buffer.from("é");
    out.push(bytes.subarray(0, 1));
    out.push(bytes.subarray(1));
    expect(live).toEqual(["é"]);
    expect(out.finish()).toBe("é");
  });
});

test("parseOomKill reads cgroup v1 and v2 counters", () => {
  expect(parseOomKill("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n")).toBe(3);
  expect(parseOomKill("low 0\nhigh 0\nmax 4\noom 2\noom_kill 1\n")).toBe(1);
  expect(parseOomKill("oom_kill_disable 0\n")).toBeUndefined();
});
