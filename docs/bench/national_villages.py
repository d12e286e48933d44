#!/usr/bin/env python3
"""Writes a national-scale CSV of village records for import benchmarks.

Every subdistrict of the reference geography x 40 village numbers (296,520 rows
with the embedded reference data), random households and population from a fixed
seed. --changed alters every household count (for an update run).

    python3 docs/bench/national_villages.py > /tmp/national.csv
    python3 docs/bench/national_villages.py --changed > /tmp/national-changed.csv
"""
import csv
import random
import sys

REF = "internal/refdata/th-admin-areas.csv"


def main():
    changed = "--changed" in sys.argv
    rng = random.Random(2564)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["sourceId", "code", "nameTh", "households", "population"])
    seen = set()
    with open(REF, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["tambon_code"]
            if len(code) != 6 or code in seen:  # a subdistrict may be listed once per postcode
                continue
            seen.add(code)
            for moo in range(1, 41):
                households = rng.randint(40, 900)
                population = households * rng.randint(2, 5)
                if changed:
                    households += 1
                out.writerow([f"MOI-{code}-{moo:02d}", f"{code}{moo:02d}", f"บ้านทดสอบ {code} หมู่ {moo}", households, population])


if __name__ == "__main__":
    main()
