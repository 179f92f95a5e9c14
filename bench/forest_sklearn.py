"""scikit-learn's RandomForestClassifier on the tables bench/forest.bench.ts writes (encoded by our
feature encoder, so both learners see the same inputs), with the parameters our forest uses:
30 trees, sqrt(inputs) tried per split, depth <= 12, nodes of <= 3 samples are leaves, bootstrap.

  python forest_sklearn.py TABLES.json time NAME      fit twice on NAME in this process: cold, warm
  python forest_sklearn.py TABLES.json f1 SEEDS...   macro F1 on each table's test split per seed
Prints one JSON object.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score


def model(seed):
    return RandomForestClassifier(n_estimators=30, max_features="sqrt", max_depth=12, min_samples_split=4, bootstrap=True, random_state=seed, n_jobs=1)


def main():
    tables = {t["name"]: t for t in json.load(open(sys.argv[1]))["tables"]}
    mode = sys.argv[2]
    if mode == "time":
        t = tables[sys.argv[3]]
        x, y = np.asarray(t["train"]["x"], dtype=np.float64), np.asarray(t["train"]["y"])
        out = {}
        for phase, seed in (("cold", 0), ("warm", 1)):
            start, cpu = time.perf_counter(), time.process_time()
            model(seed).fit(x, y)
            out[f"{phase}_ms"] = (time.perf_counter() - start) * 1000
            out[f"{phase}_cpu_ms"] = (time.process_time() - cpu) * 1000
        print(json.dumps(out))
        return
    seeds = [int(s) for s in sys.argv[3:]]
    out = {}
    for name, t in tables.items():
        x, y = np.asarray(t["train"]["x"], dtype=np.float64), np.asarray(t["train"]["y"])
        tx, ty = np.asarray(t["test"]["x"], dtype=np.float64), np.asarray(t["test"]["y"])
        out[name] = [f1_score(ty, model(s).fit(x, y).predict(tx), average="macro") for s in seeds]
    print(json.dumps(out))


main()
