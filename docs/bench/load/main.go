// Command load drives the five benchmark operations of docs/bench/ops against a
// running hub with a national data set (prasan demo --national), from concurrent
// clients each with its own role-scoped token, for a fixed time per operation, and
// prints latency percentiles, requests per second and the server's peak resident
// memory.
//
//	go run ./docs/bench/load --database-url postgres://…/national --pid $(pgrep -f 'prasan serve') [--clients 16] [--duration 15s]
//
// Tokens are minted with the hub's local key (the same key file as prasan token);
// the villages, districts and provinces asked for are read from the database.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/auth"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080/graphql", "the hub's GraphQL endpoint")
	dbURL := flag.String("database-url", "", "the hub's database, to pick villages, districts and provinces")
	keyFile := flag.String("local-key-file", "", "the hub's local signing key (default: as prasan token)")
	clients := flag.Int("clients", 16, "concurrent clients")
	duration := flag.Duration("duration", 15*time.Second, "how long to run each operation")
	pid := flag.Int("pid", 0, "the server's process id, to read its peak resident memory")
	only := flag.String("ops", "1,2,3,4,5", "which operations to run")
	opsDir := flag.String("ops-dir", "docs/bench/ops", "the folder of the operations' .graphql files")
	warmup := flag.Duration("warmup", 2*time.Second, "how long each operation runs before it is measured (statement caches, connections)")
	procs := flag.Int("procs", 1, "processors for the harness's own goroutines (GOMAXPROCS): it shares the machine with the hub and PostgreSQL, and with one its Go scheduler spends the least of the CPU they need")
	wrkScript := flag.String("wrk-script", "", "instead of running, write a wrk script of the village page (1) for the clients to FILE: wrk -t CLIENTS -c CLIENTS -d 15s -s FILE URL")
	flag.Parse()
	// 16 clients waiting on the network need one processor; with two, the harness's
	// idle processors spun looking for work on the cores the hub needs (the village
	// page ran 6–22 % faster with one, four alternating pairs; docs/BENCHMARKS.md)
	runtime.GOMAXPROCS(*procs)
	ctx := context.Background()
	if *keyFile == "" {
		*keyFile = defaultKeyFile()
	}
	conn, err := pgx.Connect(ctx, *dbURL)
	check(err)
	villages := strings1(ctx, conn, `SELECT code FROM area WHERE level = 'VILLAGE' ORDER BY code`)
	districts := strings1(ctx, conn, `SELECT code FROM area WHERE level = 'DISTRICT' ORDER BY code`)
	provinces := strings1(ctx, conn, `SELECT code FROM area WHERE level = 'PROVINCE' ORDER BY code`)
	conn.Close(ctx)

	ops := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(*opsDir, "*.graphql"))
	if len(files) == 0 {
		check(fmt.Errorf("no operations in %s (*.graphql): run from the repository's root or give --ops-dir", *opsDir))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		check(err)
		ops[filepath.Base(f)[:1]] = string(b)
	}
	mint := func(req auth.TokenRequest) string {
		req.TTL = time.Hour
		t, err := auth.MintLocal(*keyFile, req, time.Now())
		check(err)
		return t
	}
	// Each client is a province office of its own province (1–3), the national
	// viewer (4), or Pid Thong with its program (5).
	provinceToken := func(i int) (string, string) {
		p := provinces[i%len(provinces)]
		return mint(auth.TokenRequest{Subject: "load-po-" + p, Agency: "PO-" + p, Roles: []auth.Role{auth.RoleProvince}, Areas: []string{p}}), p
	}
	// randomInProvince asks op for a random one of the areas (villages or districts)
	// in the province of each client's token, as variable name.
	randomInProvince := func(op, name string, areas []string) func(c int) func(*http.Client) (int, error) {
		return func(c int) func(*http.Client) (int, error) {
			tok, p := provinceToken(c)
			mine := inside(areas, p)
			return func(h *http.Client) (int, error) {
				return post(h, *url, tok, op, map[string]any{name: mine[rand.IntN(len(mine))]})
			}
		}
	}
	if *wrkScript != "" {
		check(writeWrkScript(*wrkScript, ops["1"], *clients, func(c int) (string, []string) {
			tok, p := provinceToken(c)
			return tok, inside(villages, p)
		}))
		return
	}
	fmt.Printf("%d clients, %s per operation, %d villages\n\n", *clients, *duration, len(villages))
	fmt.Printf("%-22s %8s %8s %8s %8s %9s %s\n", "operation", "requests", "p50", "p95", "p99", "req/s", "notes")
	for _, op := range strings.Split(*only, ",") {
		var run func(c int) func(*http.Client) (int, error)
		switch op {
		case "1":
			run = randomInProvince(ops["1"], "village", villages)
		case "2":
			run = randomInProvince(ops["2"], "district", districts)
		case "3":
			run = func(c int) func(*http.Client) (int, error) {
				tok, p := provinceToken(c)
				return func(h *http.Client) (int, error) { return post(h, *url, tok, ops["3"], map[string]any{"province": p}) }
			}
		case "4":
			run = func(c int) func(*http.Client) (int, error) {
				tok := mint(auth.TokenRequest{Subject: fmt.Sprintf("load-viewer-%d", c), Roles: []auth.Role{auth.RoleViewer}})
				return func(h *http.Client) (int, error) { return post(h, *url, tok, ops["4"], nil) }
			}
		case "5":
			run = func(c int) func(*http.Client) (int, error) {
				tok := mint(auth.TokenRequest{Subject: fmt.Sprintf("load-pidthong-%d", c), Agency: "PIDTHONG",
					Roles: []auth.Role{auth.RolePidThong}, Programs: []string{"PIDTHONG-SUPPORT-2565"}})
				var after any
				// one request is one page; a client pages through every village, then starts again
				return func(h *http.Client) (int, error) {
					var out struct {
						Data struct {
							Villages struct {
								PageInfo struct {
									EndCursor   string
									HasNextPage bool
								}
								Nodes []json.RawMessage
							}
						}
					}
					n, err := postInto(h, *url, tok, ops["5"], map[string]any{"after": after}, &out)
					if out.Data.Villages.PageInfo.HasNextPage {
						after = out.Data.Villages.PageInfo.EndCursor
					} else {
						after = nil
					}
					_ = n
					return len(out.Data.Villages.Nodes), err
				}
			}
		default:
			continue
		}
		report(op, *clients, *warmup, *duration, *pid, run)
	}
	if *pid != 0 {
		fmt.Printf("\nserver peak resident memory (VmHWM of pid %d): %s\n", *pid, vmHWM(*pid))
	}
}

// report runs clients for warmup, then for d, and prints the operation's figures
// over d.
//
// With the server's pid it also prints the CPU time the server and PostgreSQL (every
// process named postgres) spent per request while it was measured, from /proc.
func report(op string, clients int, warmup, d time.Duration, pid int, run func(c int) func(*http.Client) (int, error)) {
	var mu sync.Mutex
	var latencies []time.Duration
	var items, failures atomic.Int64
	var firstErr atomic.Value
	measured := time.Now().Add(warmup)
	deadline := measured.Add(d)
	var serverStart, postgresStart, harnessStart time.Duration
	cpuStarted := make(chan struct{})
	go func() {
		time.Sleep(time.Until(measured))
		serverStart, postgresStart, harnessStart = cpuTime(pid), postgresCPU(), cpuTime(os.Getpid())
		close(cpuStarted)
	}()
	var wg sync.WaitGroup
	for c := range clients {
		do := run(c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := &http.Client{Timeout: 30 * time.Second}
			var mine []time.Duration
			for time.Now().Before(deadline) {
				start := time.Now()
				n, err := do(h)
				if start.Before(measured) {
					continue
				}
				mine = append(mine, time.Since(start))
				items.Add(int64(n))
				if err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	<-cpuStarted
	serverCPU, postgresCPUTime, harnessCPU := cpuTime(pid)-serverStart, postgresCPU()-postgresStart, cpuTime(os.Getpid())-harnessStart
	slices.Sort(latencies)
	pct := func(p float64) string {
		if len(latencies) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1fms", float64(latencies[int(float64(len(latencies)-1)*p)].Microseconds())/1000)
	}
	notes := ""
	if op == "5" {
		notes = fmt.Sprintf("%.0f villages/s", float64(items.Load())/d.Seconds())
	}
	if n := len(latencies); pid != 0 && n > 0 {
		perRequest := func(t time.Duration) float64 { return float64(t.Microseconds()) / 1000 / float64(n) }
		notes += fmt.Sprintf(" CPU/request: server %.2fms, PostgreSQL %.2fms, harness %.2fms", perRequest(serverCPU), perRequest(postgresCPUTime), perRequest(harnessCPU))
	}
	if f := failures.Load(); f > 0 {
		notes += fmt.Sprintf(" %d FAILED (%v)", f, firstErr.Load())
	}
	names := map[string]string{"1": "1 village page", "2": "2 district list", "3": "3 province dashboard", "4": "4 national dashboard", "5": "5 partner pull (page)"}
	fmt.Printf("%-22s %8d %8s %8s %8s %9.0f %s\n", names[op], len(latencies), pct(.5), pct(.95), pct(.99), float64(len(latencies))/d.Seconds(), notes)
}

func post(h *http.Client, url, token, query string, vars map[string]any) (int, error) {
	return postInto(h, url, token, query, vars, nil)
}

// postInto sends a GraphQL request and checks the answer: HTTP 200, data, no
// errors; it decodes the answer into out unless out is nil. The check reads the
// answer as the hub writes it (data first, errors before data when there are any)
// rather than decoding it, so that the harness takes little of the CPU it shares
// with the hub.
func postInto(h *http.Client, url, token, query string, vars map[string]any, out any) (int, error) {
	body := requestBody(query, vars)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := h.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(raw, []byte(`{"data":{`)) || bytes.Contains(raw, []byte(`"errors":[`)) {
		return 0, fmt.Errorf("HTTP %d: %s", resp.StatusCode, truncate(string(raw), 200))
	}
	if out == nil {
		return 1, nil
	}
	return 1, json.Unmarshal(raw, out)
}

// writeWrkScript writes a wrk script asking the village page for a random village of
// each client's province, with the client's token — one wrk thread per client — and
// printing p50/p95/p99, requests a second and the answers that were not data. wrk
// costs the machine less CPU than this harness, which shares the hub's cores.
func writeWrkScript(path, query string, clients int, client func(c int) (token string, villages []string)) error {
	var b strings.Builder
	b.WriteString("local clients = {\n")
	for c := range clients {
		tok, vs := client(c)
		fmt.Fprintf(&b, "  {token = %q, villages = {", tok)
		for i, v := range vs {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "%q", v)
		}
		b.WriteString("}},\n")
	}
	q, _ := json.Marshal(query)
	fmt.Fprintf(&b, "}\nlocal query = %q\n", q)
	b.WriteString(`local threads, n = {}, 0
function setup(thread) thread:set("id", n); n = n + 1; table.insert(threads, thread) end
function init(args)
  me = clients[(id % #clients) + 1]
  failed = 0
  math.randomseed(id + 1)
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. me.token}
end
function request()
  local v = me.villages[math.random(#me.villages)]
  return wrk.format("POST", nil, headers, '{"query":' .. query .. ',"variables":{"village":"' .. v .. '"}}')
end
function response(status, headers, body)
  if status ~= 200 or body:sub(1, 9) ~= '{"data":{' or body:find('"errors":[', 1, true) then failed = failed + 1 end
end
function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + t:get("failed") end
  io.write(string.format("village page (wrk): %d requests, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %.0f req/s, %d not data\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), failed))
end
`)
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

// quotedQueries holds each operation's text as a JSON string, encoded once.
var quotedQueries sync.Map

// requestBody is the JSON of a GraphQL request.
func requestBody(query string, vars map[string]any) []byte {
	q, ok := quotedQueries.Load(query)
	if !ok {
		b, _ := json.Marshal(query)
		q, _ = quotedQueries.LoadOrStore(query, b)
	}
	v, _ := json.Marshal(vars)
	body := make([]byte, 0, len(q.([]byte))+len(v)+32)
	body = append(append(append(body, `{"query":`...), q.([]byte)...), `,"variables":`...)
	return append(append(body, v...), '}')
}

func inside(codes []string, area string) []string {
	var out []string
	for _, c := range codes {
		if strings.HasPrefix(c, area) {
			out = append(out, c)
		}
	}
	return out
}

func strings1(ctx context.Context, conn *pgx.Conn, sql string) []string {
	rows, _ := conn.Query(ctx, sql)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	check(err)
	return out
}

// cpuTime is the user and system CPU time process pid has used (0 for pid 0).
func cpuTime(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	return procCPU("/proc/" + strconv.Itoa(pid) + "/stat")
}

// postgresCPU is the CPU time used so far by the processes named postgres
// (connections that end meanwhile take theirs with them).
func postgresCPU() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var total time.Duration
	for _, f := range stats {
		if b, err := os.ReadFile(filepath.Join(filepath.Dir(f), "comm")); err == nil && strings.TrimSpace(string(b)) == "postgres" {
			total += procCPU(f)
		}
	}
	return total
}

// procCPU reads utime and stime (fields 14 and 15, in clock ticks of 1/100 s) of a
// /proc/PID/stat file.
func procCPU(statFile string) time.Duration {
	b, err := os.ReadFile(statFile)
	if err != nil {
		return 0
	}
	// the command name (field 2) may hold spaces: count fields after its ')'
	rest := string(b)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	fields := strings.Fields(rest)
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

func vmHWM(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return err.Error()
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "?"
}

func defaultKeyFile() string {
	if f := os.Getenv("PRASAN_LOCAL_KEY_FILE"); f != "" {
		return f
	}
	return auth.DefaultLocalKeyFile()
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}
