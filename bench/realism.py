"""The judge of bench/realism.ts: SDV GaussianCopula as the baseline, SDMetrics and scikit-learn.

Reads the manifest path from argv[1]: {"tables": [{"name", "dir", "target", "identifiers"}]}, each dir holding
real.json (all rows), train.json (the 70% the generators are fitted to), holdout.json (the 30%
they never see) and local.json (the local generator's rows). Writes sdv.json (GaussianCopula
fitted to train.json, as many rows) next to them and prints one JSON result per table.
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
from sdmetrics.reports.single_table import QualityReport  # noqa: E402
from sdv.metadata import Metadata  # noqa: E402
from sdv.single_table import GaussianCopulaSynthesizer  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402


def frame(path, columns=None):
    with open(path) as f:
        return pd.DataFrame(json.load(f), columns=columns)


def features(df, meta, target, reference):
    """Numbers as they are (missing = the reference's median), dates as epoch, categories one-hot; ids and text dropped."""
    out = pd.DataFrame(index=df.index)
    for col, m in meta["columns"].items():
        if col == target:
            continue
        sdtype = m["sdtype"]
        if sdtype == "numerical":
            x = pd.to_numeric(df[col], errors="coerce")
            out[col] = x.fillna(pd.to_numeric(reference[col], errors="coerce").median())
        elif sdtype == "datetime":
            x = pd.to_datetime(df[col], errors="coerce", format=m.get("datetime_format")).astype("int64", errors="ignore")
            out[col] = pd.to_numeric(x, errors="coerce").fillna(0)
        elif sdtype in ("categorical", "boolean"):
            out[col] = df[col].astype(str)
    return out


def tstr(train_rows, holdout, meta, target):
    train_rows = train_rows[train_rows[target].notna()]
    holdout = holdout[holdout[target].notna()]
    x_train = features(train_rows, meta, target, train_rows)
    x_test = features(holdout, meta, target, train_rows)
    both = pd.get_dummies(pd.concat([x_train, x_test], keys=["a", "b"]))
    model = RandomForestClassifier(n_estimators=200, random_state=0, n_jobs=1)
    model.fit(both.loc["a"], train_rows[target].astype(str))
    return f1_score(holdout[target].astype(str), model.predict(both.loc["b"]), average="macro")


manifest = json.load(open(sys.argv[1]))
for t in manifest["tables"]:
    d, target = t["dir"], t["target"]
    real = frame(f"{d}/real.json")
    cols = list(real.columns)
    train, holdout, local = frame(f"{d}/train.json", cols), frame(f"{d}/holdout.json", cols), frame(f"{d}/local.json", cols)
    metadata = Metadata.detect_from_dataframes({t["name"]: train})
    np.random.seed(0)
    synthesizer = GaussianCopulaSynthesizer(metadata)
    # SDV 2 takes and returns {table name: DataFrame}.
    synthesizer.fit({t["name"]: train})
    sdv = synthesizer.sample(num_rows=len(train))
    if isinstance(sdv, dict):
        sdv = sdv[t["name"]]
    sdv.to_json(f"{d}/sdv.json", orient="records", date_format="iso")
    detected = metadata.to_dict()["tables"][t["name"]]
    # The judge's metadata: SDV's detection, with identifier/name/text columns (values that rarely
    # repeat) as sdtype "id", which SDMetrics leaves out: scoring them as categories rewards
    # copying real names. The same metadata judges both generators.
    judge = json.loads(json.dumps(detected))
    for col in t["identifiers"]:
        judge["columns"][col] = {"sdtype": "id"}
    result = {"name": t["name"], "sdtypes": {c: m["sdtype"] for c, m in judge["columns"].items()}}
    for label, syn in (("local", local), ("sdv", sdv)):
        for suffix, meta in (("", judge), ("_detected", detected)):
            report = QualityReport()
            report.generate(real, syn, meta, verbose=False)
            result[f"{label}_quality{suffix}"] = report.get_score()
        result[f"{label}_tstr"] = tstr(syn, holdout, judge, target)
    result["trtr"] = tstr(train, holdout, judge, target)
    print(json.dumps(result), flush=True)
