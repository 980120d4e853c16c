"""Writes examples/data/demo.csv: a clinical table shaped like the study's Table 1.

432 patients, training 296 (106 ALN-positive / 190 negative) and validation 136 (54 / 82). The
categorical factors have exactly Table 1's counts in each group (assigned to patients in a shuffled
order); age, tumour size and the rad-score are drawn from normal distributions with Table 1's
group means and spreads; `bmi` is an extra column with four missing values, to show how missing
data are reported. Synthetic: no patient's data.

Run with any Python 3 (standard library only): python3 examples/data/make_demo.py
"""

import csv
import os
import random

rng = random.Random(2021)

# (cohort, aln): n, age (mean, sd), size (mean, sd), rad (median, iqr-sd), grade I/II/III,
# multifocal yes, lnmri yes, er pos, pr pos, her2 pos, ki67 pos  -- study.md Table 1.
GROUPS = {
    ("train", 1): dict(n=106, age=(53.94, 9.66), size=(20.37, 4.87), rad=(-0.008, 0.67),
                       grade=(13, 64, 29), multifocal=53, lnmri=74, er=84, pr=72, her2=30, ki67=75),
    ("train", 0): dict(n=190, age=(53.84, 10.07), size=(19.95, 4.67), rad=(-1.642, 1.23),
                       grade=(56, 108, 26), multifocal=54, lnmri=81, er=128, pr=130, her2=64, ki67=136),
    ("valid", 1): dict(n=54, age=(52.35, 11.14), size=(20.44, 5.88), rad=(0.064, 0.73),
                       grade=(3, 32, 19), multifocal=29, lnmri=34, er=39, pr=34, her2=12, ki67=41),
    ("valid", 0): dict(n=82, age=(53.20, 9.17), size=(19.14, 4.72), rad=(-1.613, 1.51),
                       grade=(20, 53, 9), multifocal=19, lnmri=32, er=57, pr=51, her2=19, ki67=54),
}


def exact_counts(n, positives, yes="yes", no="no"):
    values = [yes] * positives + [no] * (n - positives)
    rng.shuffle(values)
    return values


rows = []
for (cohort, aln), g in GROUPS.items():
    n = g["n"]
    grade = [1] * g["grade"][0] + [2] * g["grade"][1] + [3] * g["grade"][2]
    rng.shuffle(grade)
    multifocal = exact_counts(n, g["multifocal"])
    lnmri = exact_counts(n, g["lnmri"])
    er = exact_counts(n, g["er"], "pos", "neg")
    pr = exact_counts(n, g["pr"], "pos", "neg")
    her2 = exact_counts(n, g["her2"], "pos", "neg")
    ki67 = exact_counts(n, g["ki67"], "pos", "neg")
    for i in range(n):
        rows.append(dict(
            cohort=cohort, aln=aln,
            age=round(rng.gauss(*g["age"])),
            size_mm=round(max(5.0, rng.gauss(*g["size"])), 1),
            grade=grade[i], multifocal=multifocal[i], lnmri=lnmri[i],
            er=er[i], pr=pr[i], her2=her2[i], ki67=ki67[i],
            bmi=round(rng.gauss(24.5, 3.2), 1),
            rad=round(rng.gauss(*g["rad"]), 3),
        ))

rng.shuffle(rows)
for index in rng.sample(range(len(rows)), 4):
    rows[index]["bmi"] = "NA"

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo.csv")
columns = ["id", "cohort", "aln", "age", "size_mm", "grade", "multifocal", "lnmri",
           "er", "pr", "her2", "ki67", "bmi", "rad"]
with open(path, "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for number, row in enumerate(rows, start=1):
        writer.writerow(dict(row, id=f"P{number:04d}"))
print(f"wrote {len(rows)} rows to {path}")
