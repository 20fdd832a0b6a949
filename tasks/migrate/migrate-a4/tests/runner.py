#!/usr/bin/env python3
"""Runs a task scenario against a project tree and prints the observed behaviour as JSON.

usage: runner.py ROOT MODE SCENARIO
  MODE original  - the pre-migration program (nwlib.v1 allowed): the reference behaviour
  MODE migrated  - the agent's program: any import of nwlib.v1 is blocked and recorded, and
                   calls into nwlib.v2 are counted (so a program that re-implements or vendors
                   the old library instead of using v2 is visible)
  MODE unittest  - the project's own unittest suite (discover -s tests -t ROOT), nwlib.v1 blocked
Waits are never real: nwlib.v2.clock.sleep (used by v1 and v2 retry) is recorded instead.
"""
import functools
import importlib
import importlib.util
import json
import os
import sys
import traceback

root, mode = sys.argv[1], sys.argv[2]
blocked = []
calls = {}
sleeps = []

import nwlib  # noqa: E402
import nwlib.v2.clock as clock  # noqa: E402

clock.sleep = lambda s: sleeps.append(round(float(s), 6))


class BlockV1:
    def find_spec(self, name, path=None, target=None):
        if name == "nwlib.v1" or name.startswith("nwlib.v1."):
            blocked.append(name)
            raise ImportError("nwlib.v1 is blocked by the verifier (end of life)")
        return None


def count(key, fn):
    @functools.wraps(fn)
    def wrapper(*a, **kw):
        calls[key] = calls.get(key, 0) + 1
        return fn(*a, **kw)
    return wrapper


if mode in ("migrated", "unittest"):
    for name in [m for m in sys.modules if m == "nwlib.v1" or m.startswith("nwlib.v1.")]:
        del sys.modules[name]
    sys.meta_path.insert(0, BlockV1())
    for modname, fn in [("money", "fmt"), ("money", "cents"), ("shipping", "quote"), ("retry", "retry"),
                        ("dates", "parse"), ("log", "event")]:
        m = importlib.import_module("nwlib.v2." + modname)
        setattr(m, fn, count("%s.%s" % (modname, fn), getattr(m, fn)))
    st = importlib.import_module("nwlib.v2.store")
    st.Store.__enter__ = count("store.Store", st.Store.__enter__)

sys.path.insert(0, root)
os.chdir(root)
if mode == "unittest":
    import unittest
    suite = unittest.defaultTestLoader.discover(os.path.join(root, "tests"), top_level_dir=root)
    res = unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(suite)
    print(json.dumps({"ok": res.wasSuccessful(), "run": res.testsRun, "blocked": blocked}))
    sys.exit(0)
spec = importlib.util.spec_from_file_location("scenario", sys.argv[3])
scenario = importlib.util.module_from_spec(spec)
spec.loader.exec_module(scenario)
try:
    result = scenario.run(root)
    error = None
except Exception:  # the scenario itself crashed: report it as behaviour
    result, error = None, traceback.format_exc(limit=4)
print(json.dumps({"result": result, "error": error, "sleeps": sleeps, "calls": calls, "blocked": blocked,
                  "nwlib": os.path.dirname(nwlib.__file__)}, sort_keys=True, default=str))
