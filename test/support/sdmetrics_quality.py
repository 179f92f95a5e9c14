"""Scores tables with the real SDMetrics QualityReport (defaults) for test/validation/sdmetrics-quality.test.ts.

Reads a JSON list of {"name", "real", "synthetic", "metadata"} on stdin; prints, per table, the
overall score, both property scores and each pair's score and whether it counts.
"""
import json
import sys
import warnings

import pandas as pd

warnings.filterwarnings("ignore")
from sdmetrics.reports.single_table import QualityReport  # noqa: E402

out = []
for table in json.load(sys.stdin):
    columns = list(table["metadata"]["columns"])
    real = pd.DataFrame(table["real"], columns=columns)
    synthetic = pd.DataFrame(table["synthetic"], columns=columns)
    report = QualityReport()
    report.generate(real, synthetic, table["metadata"], verbose=False)
    props = report.get_properties().set_index("Property")["Score"]
    pairs = report.get_details("Column Pair Trends")
    out.append({
        "name": table["name"],
        "score": report.get_score(),
        "column_shapes": props["Column Shapes"],
        "column_pair_trends": None if pd.isna(props["Column Pair Trends"]) else props["Column Pair Trends"],
        "pairs": [
            {
                "columns": [r["Column 1"], r["Column 2"]],
                "score": None if pd.isna(r["Score"]) else float(r["Score"]),
                "counted": bool(r["Meets Threshold?"]) if not pd.isna(r["Meets Threshold?"]) else False,
            }
            for _, r in pairs.iterrows()
        ],
    })
print(json.dumps(out))
