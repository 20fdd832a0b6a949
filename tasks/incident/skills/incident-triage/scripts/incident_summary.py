#!/usr/bin/env python3
"""Summarise an incident from a tracecat timeline (JSON lines on stdin or a file).

    tracecat merge LOGDIR --include-rotated --limit 0 --skew ... --tz ... --dst-fold order \
        | incident_summary.py > summary.json

Implements the SRE incident-review vocabulary (wiki sre/incident-review.md):
failing request = edge 5xx; origin = service of the earliest ERROR event of
that request's trace; root cause = most common origin; incident failing
requests = failing requests whose origin is the root cause.
"""
import collections
import json
import sys


def summarise(lines):
    by_trace = collections.defaultdict(list)
    for line in lines:
        line = line.strip()
        if not line:
            continue
        ev = json.loads(line)
        if ev.get("trace"):
            by_trace[ev["trace"]].append(ev)
    failing = {}
    for tid, evs in by_trace.items():
        edge = [e for e in evs if e["service"] == "edge"]
        if not edge or int(edge[-1].get("status", 0)) < 500:
            continue
        errors = sorted((e for e in evs if e["level"] == "ERROR"), key=lambda e: e["ts"])
        failing[tid] = {"edge_ts": edge[-1]["ts"], "origin": errors[0]["service"],
                        "customers": {e["customer"] for e in evs if e.get("customer")},
                        "root_errors": errors}
    if not failing:
        raise SystemExit("no failing requests in the timeline")
    origins = collections.Counter(f["origin"] for f in failing.values())
    root = origins.most_common(1)[0][0]
    inc = {t: f for t, f in failing.items() if f["origin"] == root}
    first = min(inc, key=lambda t: inc[t]["edge_ts"])
    first_error = min(e["ts"] for f in inc.values() for e in f["root_errors"] if e["service"] == root)
    customers = set().union(*(f["customers"] for f in inc.values()))
    return {
        "root_cause_service": root,
        "first_failing_request": first,
        "failing_requests": len(inc),
        "affected_customers": len(customers),
        "timeline": {
            "first_error": first_error,
            "last_failure": max(f["edge_ts"] for f in inc.values()),
        },
        "origins": dict(origins),
    }


if __name__ == "__main__":
    src = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    print(json.dumps(summarise(src), indent=2))
