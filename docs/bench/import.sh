#!/bin/sh
# Measures prasan import on a national-scale village file: a first import into a
# fresh database, the same file again (all unchanged), then every household count
# changed. Prints each run's summary line and peak RSS.
#   sh docs/bench/import.sh [runs]     (from the repository root; PostgreSQL on 127.0.0.1:5432)
set -eu
runs=${1:-1}
go build -o /tmp/prasan-bench ./cmd/prasan
python3 docs/bench/national_villages.py > /tmp/national.csv
python3 docs/bench/national_villages.py --changed > /tmp/national-changed.csv
url=postgres://postgres@127.0.0.1:5432/prasan_bench
for run in $(seq "$runs"); do
	psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS prasan_bench" -c "CREATE DATABASE prasan_bench" 2>/dev/null
	/tmp/prasan-bench migrate up --database-url $url 2>/dev/null
	psql -h 127.0.0.1 -U postgres -d prasan_bench -qc "INSERT INTO agency (code, name_th, kind) VALUES ('MOI-OPS', 'สป.มท.', 'MOI')"
	for f in /tmp/national.csv /tmp/national.csv /tmp/national-changed.csv; do
		/usr/bin/time -f "peak RSS %M kB" /tmp/prasan-bench import --kind village --agency MOI-OPS --database-url $url $f 2>&1 |
			grep -E "rows in|peak RSS" | tr '\n' ' '
		echo
	done
done
