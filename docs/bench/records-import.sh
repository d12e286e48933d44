#!/bin/sh
# Measures prasan import of national-scale record files (the records pipeline) on a
# copy of the national data set: a plan-item file (every FY 2566 item again, five
# positions on: 370,086 rows, most of them new items), the same file with every title
# changed, then a budget-line file (a new line for each FY 2566 item, agency CDD).
# Prints each import's summary line, time and peak RSS.
#   sh docs/bench/records-import.sh [runs]    (from the repository root)
# Needs the national data set in the database national_base, made once with
#   psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE national_base"
#   go run ./cmd/prasan demo --national --database-url postgres://postgres@127.0.0.1:5432/national_base
set -eu
runs=${1:-1}
pg="psql -h 127.0.0.1 -U postgres -qAt"
base=postgres://postgres@127.0.0.1:5432
go build -o /tmp/prasan-bench ./cmd/prasan
$pg -d national_base -c "\copy (SELECT 'NAT-I-' || pi.id AS \"sourceId\", vp.village_code AS \"villageCode\", vp.fiscal_year AS \"fiscalYear\",
	pi.position + 5 AS position, pi.title || ' (เพิ่ม)' AS title, pi.category, pi.responsible_agency_code AS \"responsibleAgencyCode\"
	FROM plan_item pi JOIN village_plan vp ON vp.id = pi.village_plan_id WHERE vp.fiscal_year = 2566 ORDER BY pi.id) TO '/tmp/items-nat.csv' CSV HEADER"
sed '1!s/ (เพิ่ม),/ (เพิ่ม แก้),/' /tmp/items-nat.csv > /tmp/items-nat-changed.csv
$pg -d national_base -c "\copy (SELECT 'NAT-B-' || pi.id AS \"sourceId\", vp.fiscal_year AS \"fiscalYear\", 'CDD' AS \"agencyCode\", 'AGENCY_CORE' AS source,
	vp.village_code AS \"villageCode\", pi.position AS \"itemPosition\", (pi.id % 90000) + 1000 AS amount, 'APPROVED' AS status
	FROM plan_item pi JOIN village_plan vp ON vp.id = pi.village_plan_id WHERE vp.fiscal_year = 2566 ORDER BY pi.id) TO '/tmp/lines-nat.csv' CSV HEADER"
for run in $(seq "$runs"); do
	$pg -c "DROP DATABASE IF EXISTS prasan_bench_records" -c "CHECKPOINT" \
		-c "CREATE DATABASE prasan_bench_records TEMPLATE national_base STRATEGY FILE_COPY" -c "CHECKPOINT"
	/tmp/prasan-bench migrate up --database-url $base/prasan_bench_records 2>/dev/null
	for step in "plan-item PO-50 /tmp/items-nat.csv" "plan-item PO-50 /tmp/items-nat-changed.csv" "budget-line CDD /tmp/lines-nat.csv"; do
		set -- $step
		/usr/bin/time -f "peak RSS %M kB" /tmp/prasan-bench import --kind "$1" --agency "$2" --database-url $base/prasan_bench_records "$3" 2>&1 |
			grep -E "rows in|peak RSS" | tr '\n' ' '
		echo
	done
done
