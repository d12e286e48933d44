package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/cli"
	"github.com/prasan-hub/prasan/internal/demo"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/postgres/pgtest"
	"github.com/prasan-hub/prasan/migrations"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(t.Context(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		says string
	}{
		{nil, 2, "Usage:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"version"}, 0, "prasan "},
		{[]string{"help"}, 0, "prasan serve"},
		{[]string{"serve", "--help"}, 0, "-demo"},
		{[]string{"migrate", "--help"}, 0, "up|down|status"},
		{[]string{"migrate"}, 2, "Usage: prasan migrate"},
		{[]string{"migrate", "sideways", "--database-url", "postgres://nobody@127.0.0.1:1/x"}, 2, "Usage: prasan migrate"},
		{[]string{"serve", "--no-such-flag"}, 2, "flag provided but not defined"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.says) {
				t.Errorf("exit %d, want %d; output does not say %q:\n%s%s", code, tt.code, tt.says, out, errOut)
			}
		})
	}
}

func TestMigrate_DownAndUp(t *testing.T) {
	files, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	n := len(files)
	url := pgtest.NewURL(t)
	code, out, errOut := run(t, "migrate", "status", "--database-url", url)
	if code != 0 || strings.Count(out, "applied") != n {
		t.Fatalf("status: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := run(t, "migrate", "down", "--database-url", url, "--log-format", "text"); code != 0 {
		t.Fatalf("down: exit %d: %s", code, errOut)
	}
	_, out, _ = run(t, "migrate", "status", "--database-url", url)
	if !strings.Contains(out, fmt.Sprintf("pending  %05d", n)) {
		t.Errorf("after down:\n%s", out)
	}
	// every migration rolls back, to an empty schema
	for range n - 1 {
		if code, _, errOut := run(t, "migrate", "down", "--database-url", url); code != 0 {
			t.Fatalf("down: exit %d: %s", code, errOut)
		}
	}
	_, out, _ = run(t, "migrate", "status", "--database-url", url)
	if strings.Contains(out, "applied") {
		t.Errorf("after rolling everything back:\n%s", out)
	}
	if code, _, errOut := run(t, "migrate", "up", "--database-url", url); code != 0 {
		t.Fatalf("up: exit %d: %s", code, errOut)
	}
	_, out, _ = run(t, "migrate", "status", "--database-url", url)
	if strings.Contains(out, "pending") {
		t.Errorf("after up:\n%s", out)
	}
}

func TestMigrate_UnreachableDatabase(t *testing.T) {
	code, _, errOut := run(t, "migrate", "status", "--database-url", "postgres://nobody:secret@127.0.0.1:1/x?connect_timeout=2")
	if code != 1 || strings.Contains(errOut, "secret") {
		t.Errorf("exit %d, stderr %q: want 1 and no password", code, errOut)
	}
}

// serve --demo starts, answers the progress query with the source's figures, and
// stops cleanly when its context ends (as on SIGTERM).
func TestServe_Demo(t *testing.T) {
	url := pgtest.NewURL(t)
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--database-url", url, "--log-format", "json",
			"--local-key-file", filepath.Join(t.TempDir(), "local.key")}, pw, io.Discard)
		pw.Close()
	}()
	base := ""
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "Prasan is serving on "); ok {
			base = rest
			break
		}
	}
	if base == "" {
		t.Fatalf("serve did not start (exit %d)", <-done)
	}
	// The demo prints a token per role, then a curl line with the admin's.
	token := ""
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), "Authorization: Bearer "); ok {
			token, _, _ = strings.Cut(rest, "'")
			break
		}
	}
	go io.Copy(io.Discard, pr) //nolint:errcheck
	if token == "" {
		t.Fatal("serve --demo printed no token")
	}
	if res, err := http.Get(base + "/readyz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", res, err)
	}
	query := `{"query":"{ program(code: \"ROIJAIRAK-EXP-2564\") { progress { villagesTargeted plansCompleted plansNotStarted } } }"}`
	if res, err := http.Post(base+"/graphql", "application/json", strings.NewReader(query)); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without a token: %v %v, want 401", res, err)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(query))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Data struct {
			Program struct {
				Progress struct{ VillagesTargeted, PlansCompleted, PlansNotStarted int }
			}
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if p := got.Data.Program.Progress; p.VillagesTargeted != 47 || p.PlansCompleted != 13 || p.PlansNotStarted != 34 {
		t.Errorf("progress = %+v", p)
	}

	// A request in flight when the shutdown begins (an upload still sending its
	// file) is finished within the grace period; then serve exits 0.
	body, send := io.Pipe()
	upload, _ := http.NewRequest(http.MethodPost, base+"/upload/villages?dryRun=true", body)
	upload.Header.Set("Content-Type", "text/csv")
	upload.Header.Set("Authorization", "Bearer "+token)
	answered := make(chan int, 1)
	go func() {
		res, err := http.DefaultClient.Do(upload)
		if err != nil {
			t.Errorf("the upload in flight: %v", err)
			answered <- 0
			return
		}
		res.Body.Close()
		answered <- res.StatusCode
	}()
	_, _ = send.Write([]byte("sourceId,code,nameTh\n"))
	time.Sleep(200 * time.Millisecond) // the request is being served
	cancel()
	time.Sleep(200 * time.Millisecond) // the shutdown has begun
	_, _ = send.Write([]byte("x,50040150,บ้านใหม่\n"))
	send.Close()
	select {
	case status := <-answered:
		// answered (whatever the verdict on the file), not cut off
		if status == 0 {
			t.Error("the upload in flight was cut off")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the upload in flight got no answer")
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown, want 0", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("serve still accepts requests after the shutdown")
	}
}

// prasan import: a good file imports, the same file again changes nothing, a file
// with bad rows is refused whole with every bad row named, and a dry run writes
// nothing.
func TestImport(t *testing.T) {
	url := pgtest.NewURL(t)
	// the agency must exist: the demo brings MOI-OPS
	if code, _, errOut := run(t, "migrate", "up", "--database-url", url); code != 0 {
		t.Fatal(errOut)
	}
	db, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(t.Context())
	if _, err := db.Exec(t.Context(), `INSERT INTO agency (code, name_th, kind) VALUES ('MOI-OPS', 'สำนักงานปลัดกระทรวงมหาดไทย', 'MOI')`); err != nil {
		t.Fatal(err)
	}
	imp := func(args ...string) (int, string) {
		code, out, errOut := run(t, append([]string{"import", "--kind", "village", "--agency", "MOI-OPS", "--database-url", url}, args...)...)
		return code, out + errOut
	}
	code, out := imp("--dry-run", "../../examples/villages.csv")
	if code != 0 || !strings.Contains(out, "3 rows") || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	count := func() int {
		var n int
		if err := db.QueryRow(t.Context(), `SELECT count(*) FROM area WHERE length(code) = 8`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("the dry run wrote %d villages", n)
	}
	if code, out := imp("../../examples/villages.csv"); code != 0 || !strings.Contains(out, "3 created") {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	if code, out := imp("../../examples/villages.jsonl"); code != 0 || !strings.Contains(out, "3 unchanged") {
		t.Errorf("the same records as JSON Lines: exit %d\n%s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("sourceId,code,nameTh,households\n"+
		"n1,50040130,บ้านใหม่,10\n"+
		"n2,5004013,บ้านสั้น,10\n"+
		"n3,50049901,บ้านไม่มีตำบล,10\n"+
		"n4,50040131,บ้านลบ,-1\n"+
		"n1,50040132,บ้านซ้ำ,10\n"+
		"n6,50040133,บ้านเลขผิด,สิบ\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out = imp(bad)
	for _, want := range []string{"row 3, column code", "row 4, column code", "row 5, column households", "row 6, column sourceId", "row 7, column households", "5 rejected", "NOT imported"} {
		if !strings.Contains(out, want) {
			t.Errorf("bad file output lacks %q:\n%s", want, out)
		}
	}
	if code != 1 || count() != 3 {
		t.Errorf("bad file: exit %d, %d villages (want 1 and the 3 of before)", code, count())
	}
}

// Every example file imports into the demo data set, in the order a partner would
// send them (plans before their items, items before their budget lines); sending
// one again changes nothing; a bad file names each bad row and column and writes
// nothing.
func TestImport_Examples(t *testing.T) {
	url := pgtest.NewURL(t)
	db, err := postgres.Open(t.Context(), postgres.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := postgres.LoadDemo(t.Context(), db, demo.New()); err != nil {
		t.Fatal(err)
	}
	imp := func(kind, agency, file string) (int, string) {
		code, out, errOut := run(t, "import", "--kind", kind, "--agency", agency, "--database-url", url, file)
		return code, out + errOut
	}
	for _, f := range []struct{ kind, agency, file, want string }{
		{"village-plan", "PO-50", "village-plans.csv", "2 rows"},
		{"plan-item", "PO-50", "plan-items.csv", "3 created"},
		{"budget-line", "PO-50", "budget-lines.jsonl", "3 created"},
		{"facilitator", "PIDTHONG", "facilitators.csv", "2 created"},
		{"prevention-activity", "ONCB-R5", "prevention-activities.jsonl", "2 created"},
	} {
		path := filepath.Join("..", "..", "examples", f.file)
		if code, out := imp(f.kind, f.agency, path); code != 0 || !strings.Contains(out, f.want) || !strings.Contains(out, "0 rejected") {
			t.Errorf("%s: exit %d\n%s", f.file, code, out)
		}
		if code, out := imp(f.kind, f.agency, path); code != 0 || !strings.Contains(out, "unchanged, 0 rejected") || strings.Contains(out, " 0 unchanged") {
			t.Errorf("%s again: exit %d\n%s", f.file, code, out)
		}
	}
	var got string
	if err := db.Pool.QueryRow(t.Context(), `SELECT string_agg(vp.village_code || ' ' || vp.status || ' ' || vp.scheduled_start, ', ' ORDER BY vp.village_code)
		FROM village_plan vp WHERE vp.fiscal_year = 2565`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "50040103 IN_PROGRESS 2021-10-01, 50040108 NOT_STARTED 2021-11-15" {
		t.Errorf("plans of 2565: %s", got)
	}
	if err := db.Pool.QueryRow(t.Context(), `SELECT string_agg(agency_code || '=' || amount || '@' || coalesce(area_code, '-'), ' ' ORDER BY amount)
		FROM budget_line WHERE fiscal_year = 2565 AND ingest_key IS NOT NULL`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "PO-50=12000.00@50040103 CDD=45000.00@50040103 ONCB-R5=150000.00@5004" {
		t.Errorf("budget lines of 2565: %s", got)
	}

	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("sourceId,villageCode,fiscalYear,position,title,category\n"+
		"x1,50040108,2565,2,ขุดลอกลำเหมือง,INFRASTRUCTURE\n"+
		"x2,50040108,2021,3,ปลูกป่า,ENVIRONMENT\n"+
		"x3,50040108,2565,๔,ปลูกป่า,กีฬา\n"+
		"x4,50040205,2566,1,ถนน,INFRASTRUCTURE\n"+
		"x1,50040108,2565,5,ซ้ำ,OTHER\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out := imp("plan-item", "PO-50", bad)
	for _, want := range []string{"row 3, column fiscalYear: 2021 looks like a Common-Era year", "row 4, column category",
		"row 5, column fiscalYear: village 50040205 has no plan for fiscal year 2566", "row 6, column sourceId: the same sourceId as row 2",
		"4 rejected", "NOT imported"} {
		if !strings.Contains(out, want) {
			t.Errorf("bad file output lacks %q:\n%s", want, out)
		}
	}
	var items int
	if err := db.Pool.QueryRow(t.Context(), `SELECT count(*) FROM plan_item pi JOIN village_plan vp ON vp.id = pi.village_plan_id WHERE vp.village_code = '50040108' AND vp.fiscal_year = 2565`).Scan(&items); err != nil {
		t.Fatal(err)
	}
	if code != 1 || items != 1 {
		t.Errorf("bad file: exit %d, %d items of 50040108 in 2565 (want 1: nothing written)", code, items)
	}
}

// prasan audit verify reports an intact trail with its head, and a broken one by
// entry with exit 1.
func TestAuditVerify(t *testing.T) {
	url := pgtest.NewURL(t)
	db, err := postgres.Open(t.Context(), postgres.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	trail := postgres.NewAuditStore(db)
	for _, kind := range []string{"mutation", "mutation", "import"} {
		if err := trail.Append(t.Context(), &postgres.AuditEntry{Kind: kind, Phase: "end"}); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ := run(t, "audit", "verify", "--database-url", url)
	if code != 0 || !strings.Contains(out, "intact: 3 entries; the last is 3, hash ") {
		t.Errorf("intact: exit %d: %s", code, out)
	}
	if _, err := db.Pool.Exec(t.Context(), `ALTER TABLE audit_entry DISABLE TRIGGER USER; UPDATE audit_entry SET kind = 'query' WHERE seq = 2;
		ALTER TABLE audit_entry ENABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, "audit", "verify", "--database-url", url)
	if code != 1 || !strings.Contains(out, "entry 2: its content does not match its hash") || !strings.Contains(out, "BROKEN") {
		t.Errorf("altered: exit %d: %s", code, out)
	}
	if code, _, _ := run(t, "audit", "prune", "--database-url", url); code == 0 {
		t.Error("prune without a retention ran")
	}
}
