#!/usr/bin/env python3
"""Verifier for the incident family (python3 standard library only).

expected.json holds the ground truth computed by the family generator from
its own model of every request (true UTC times), not from tracecat.  Values
are compared after parsing: any key order, any ISO-8601 UTC offset, a
tolerance of 1 s on times, case-insensitive ids.  Extra keys are allowed.

Process checks (only where expected.json asks for them):
  * sealed evidence: every evidence file must still hash to the value
    recorded at generation time (tests/evidence.sha256.json).  This catches
    "fixing" the logs in place instead of normalising them.
  * nwsec findings (composition task): the findings for the root-cause hosts
    must match the NWSEC-BASELINE v3 evaluation of their config snapshots.
"""
import datetime as dt
import hashlib
import json
import os
import sys

checks = []


def check(name, ok, msg=""):
    checks.append({"name": name, "passed": bool(ok), "message": msg})
    return ok


def parse_ts(v):
    if not isinstance(v, str):
        raise ValueError(f"not a string: {v!r}")
    s = v.strip().replace(" ", "T", 1)
    if s.endswith("Z") or s.endswith("z"):
        s = s[:-1] + "+00:00"
    t = dt.datetime.fromisoformat(s)
    if t.tzinfo is None:
        raise ValueError(f"{v!r} has no UTC offset")
    return t.astimezone(dt.timezone.utc)


def as_int(v):
    if isinstance(v, bool):
        raise ValueError("boolean")
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    raise ValueError(f"not an integer: {v!r}")


def main():
    exp = json.load(open(sys.argv[1]))
    here = os.path.dirname(os.path.abspath(sys.argv[1]))
    out = exp["output"]
    rep = None
    if check("summary_exists", os.path.isfile(out), out):
        try:
            rep = json.load(open(out))
            check("summary_is_json_object", isinstance(rep, dict), "")
        except Exception as exc:  # noqa: BLE001
            check("summary_is_json_object", False, str(exc))
    if isinstance(rep, dict):
        got = str(rep.get("root_cause_service", "")).strip().lower()
        check("root_cause_service", got == exp["root_cause_service"], f"got {got!r}")
        got = str(rep.get("first_failing_request", "")).strip().lower()
        check("first_failing_request", got == exp["first_failing_request"], f"got {got!r}")
        for key in ("failing_requests", "affected_customers"):
            try:
                v = as_int(rep.get(key))
                check(key, v == exp[key], f"got {v}")
            except ValueError as exc:
                check(key, False, str(exc))
        tl = rep.get("timeline") if isinstance(rep.get("timeline"), dict) else {}
        for key in ("first_error", "last_failure"):
            try:
                d = abs((parse_ts(tl.get(key)) - parse_ts(exp["timeline"][key])).total_seconds())
                check(f"timeline.{key}", d <= 1.0, f"off by {d:.3f} s" if d > 1.0 else "")
            except (ValueError, TypeError) as exc:
                check(f"timeline.{key}", False, str(exc))
        if "nwsec" in exp:
            check_nwsec(rep, exp["nwsec"])
    if exp.get("sealed"):
        sums = json.load(open(os.path.join(here, "evidence.sha256.json")))
        changed = []
        for path, digest in sorted(sums.items()):
            try:
                h = hashlib.sha256(open(path, "rb").read()).hexdigest()
            except OSError:
                h = None
            if h != digest:
                changed.append(path)
        check("evidence_unchanged", not changed, "modified or missing: " + ", ".join(changed[:5]))
    reward = 1 if checks and all(c["passed"] for c in checks) else 0
    os.makedirs("/logs/verifier", exist_ok=True)
    with open("/logs/verifier/reward.txt", "w") as fh:
        fh.write(f"{reward}\n")
    with open("/logs/verifier/reward.json", "w") as fh:
        json.dump({"reward": reward, "checks": checks}, fh, indent=2)
    for c in checks:
        print(("PASS " if c["passed"] else "FAIL ") + c["name"] + (f": {c['message']}" if c["message"] else ""))


def check_nwsec(rep, exp):
    findings = rep.get("nwsec_findings")
    if not check("nwsec_findings_is_list", isinstance(findings, list), ""):
        return
    got = {}
    for f in findings:
        if not isinstance(f, dict):
            continue
        key = (str(f.get("host", "")).strip(), str(f.get("control", "")).strip().upper())
        exc = f.get("exception")
        exc = str(exc).strip().upper() if exc not in (None, "", "null") else None
        got[key] = (str(f.get("severity", "")).strip().lower(), str(f.get("status", "")).strip().lower(), exc)
    want = {(f["host"], f["control"]): (f["severity"], f["status"], f["exception"]) for f in exp}
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    check("nwsec_findings_set", not missing and not extra,
          f"missing {missing[:6]} extra {extra[:6]}" if missing or extra else "")
    common = sorted(set(want) & set(got))
    wrong = [k for k in common if want[k][0] != got[k][0]]
    check("nwsec_findings_severity", not wrong and not missing, f"wrong severity for {wrong[:6]}" if wrong else "")
    wrong = [k for k in common if want[k][1:] != got[k][1:]]
    check("nwsec_findings_status", not wrong and not missing, f"wrong status/exception for {wrong[:6]}" if wrong else "")


if __name__ == "__main__":
    main()
