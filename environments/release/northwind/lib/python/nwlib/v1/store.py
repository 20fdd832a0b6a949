"""v1 store: open_store(path) returns an auto-saving store; call close() when done."""
import json
import os


class _V1Store:
    def __init__(self, path):
        self.path = path
        self._data = {}
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                raw = json.load(fh)
            self._data = dict(raw["data"]) if isinstance(raw, dict) and raw.get("_format") == 2 else dict(raw)

    def get(self, key, default=None):
        return self._data.get(key, default)

    def put(self, key, value):
        self._data[key] = value
        self._save()  # v1 saves on every put

    def delete(self, key):
        self._data.pop(key, None)
        self._save()

    def keys(self):
        return sorted(self._data)

    def _save(self):
        with open(self.path, "w", encoding="utf-8") as fh:
            json.dump(self._data, fh, sort_keys=True)

    def close(self):
        pass


def open_store(path):
    return _V1Store(path)
