"""A tiny transactional JSON key-value store.

    with Store("state.json") as s:
        s.put("k", 1)
        s.get("k")

A Store must be used as a context manager.  Writes are buffered and written on a clean exit
of the `with` block (or by an explicit s.commit()); if the block raises, uncommitted writes
are discarded.  v2 reads files written by nwlib.v1 and writes format 2.
"""
import json
import os

_MISSING = object()


class StoreError(RuntimeError):
    pass


class Store:
    def __init__(self, path):
        self.path = path
        self._data = None
        self._dirty = False

    def __enter__(self):
        self._data = self._load()
        self._dirty = False
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.commit()
        self._data = None
        return False

    def _need_open(self):
        if self._data is None:
            raise StoreError("Store must be used as a context manager: `with Store(path) as s:`")

    def _load(self):
        if not os.path.exists(self.path):
            return {}
        with open(self.path, encoding="utf-8") as fh:
            raw = json.load(fh)
        if isinstance(raw, dict) and raw.get("_format") == 2:
            return dict(raw["data"])
        return dict(raw)  # format 1 (nwlib.v1): a plain JSON object

    def get(self, key, default=_MISSING):
        self._need_open()
        if key in self._data:
            return self._data[key]
        if default is _MISSING:
            raise KeyError(key)
        return default

    def put(self, key, value):
        self._need_open()
        json.dumps(value)  # refuse values that cannot be stored
        self._data[key] = value
        self._dirty = True

    def delete(self, key):
        self._need_open()
        self._data.pop(key, None)
        self._dirty = True

    def keys(self):
        self._need_open()
        return sorted(self._data)

    def commit(self):
        self._need_open()
        if not self._dirty and os.path.exists(self.path):
            return
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"_format": 2, "data": self._data}, fh, sort_keys=True, indent=1)
        os.replace(tmp, self.path)
        self._dirty = False


def read_all(path):
    """Convenience: the whole store as a dict (read-only)."""
    with Store(path) as s:
        return {k: s.get(k) for k in s.keys()}
