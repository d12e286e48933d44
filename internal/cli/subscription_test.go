package cli_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/cli"
	"github.com/prasan-hub/prasan/internal/postgres/pgtest"
)

// TestMain lets a test start `prasan serve` as a process of its own: the test
// binary runs the command line in PRASAN_TEST_RUN instead of the tests.
func TestMain(m *testing.M) {
	if args := os.Getenv("PRASAN_TEST_RUN"); args != "" {
		// as cmd/prasan does
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, strings.Split(args, "\x1f"), os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// serveProcess starts `prasan serve` in a process of its own and returns its base
// URL and the process.
func serveProcess(t *testing.T, args ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PRASAN_TEST_RUN="+strings.Join(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), "\x1f"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "Prasan is serving on "); ok {
			go io.Copy(io.Discard, out) //nolint:errcheck
			return rest, cmd
		}
	}
	t.Fatal("serve did not start")
	return "", nil
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// subscribe opens a graphql-transport-ws connection with the token and starts a
// subscription; the returned channel has its events (the "next" payloads) and is
// closed with the connection, after which why says why it closed.
func subscribe(t *testing.T, base, token, query string) (events <-chan string, why func() string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	c, _, err := websocket.Dial(ctx, strings.Replace(base, "http", "ws", 1)+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	init, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + token})
	if err := wsjson.Write(ctx, c, wsMessage{Type: "connection_init", Payload: init}); err != nil {
		t.Fatal(err)
	}
	var ack wsMessage
	if err := wsjson.Read(ctx, c, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("connection_ack: %+v %v", ack, err)
	}
	payload, _ := json.Marshal(map[string]string{"query": query})
	if err := wsjson.Write(ctx, c, wsMessage{ID: "1", Type: "subscribe", Payload: payload}); err != nil {
		t.Fatal(err)
	}
	ch := make(chan string, 16)
	var closed string
	go func() {
		defer close(ch)
		for {
			var m wsMessage
			if err := wsjson.Read(ctx, c, &m); err != nil {
				closed += " / " + err.Error()
				return
			}
			switch m.Type {
			case "next":
				ch <- string(m.Payload)
			case "ping":
				_ = wsjson.Write(ctx, c, wsMessage{Type: "pong"})
			default:
				closed += m.Type + " " + string(m.Payload)
			}
		}
	}()
	return ch, func() string { return closed }
}

// Two `prasan serve` processes on one database: a change made through one reaches
// the subscribers of the other, each only inside its scope; a subscription ends
// with a message when its token expires.
func TestSubscriptions_AcrossReplicas(t *testing.T) {
	url := pgtest.NewURL(t)
	key := filepath.Join(t.TempDir(), "local.key")
	common := []string{"--database-url", url, "--local-key-file", key, "--log-format", "json"}
	one, oneProcess := serveProcess(t, append([]string{"--demo"}, common...)...)
	two, _ := serveProcess(t, common...)
	if _, err := auth.EnsureLocalKey(key); err != nil {
		t.Fatal(err)
	}
	mint := func(r auth.TokenRequest) string {
		if r.TTL == 0 {
			r.TTL = time.Hour
		}
		tok, err := auth.MintLocal(key, r, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	const sub = `subscription { planStatusChanged(fiscalYear: 2564) { villageCode fiscalYear status previousStatus } }`
	chiangMai, chiangMaiWhy := subscribe(t, one, mint(auth.TokenRequest{Subject: "po-50", Agency: "PO-50", Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"50"}}), sub)
	chiangRai, _ := subscribe(t, one, mint(auth.TokenRequest{Subject: "po-57", Agency: "PO-57", Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"57"}}), sub)
	progress, _ := subscribe(t, one, mint(auth.TokenRequest{Subject: "po-50b", Agency: "PO-50", Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"50"}}),
		`subscription { programProgressChanged(code: "ROIJAIRAK-EXP-2564") { fiscalYear villagesTargeted plansInProgress } }`)
	short, why := subscribe(t, one, mint(auth.TokenRequest{Subject: "brief", Roles: []auth.Role{auth.RoleViewer}, TTL: 3 * time.Second}), sub)
	time.Sleep(300 * time.Millisecond) // the subscriptions are registered

	admin := mint(auth.TokenRequest{Subject: "admin", Roles: []auth.Role{auth.RoleAdmin}})
	set := func(village, status string) {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"query": fmt.Sprintf(`mutation { setVillagePlan(input: {villageCode: "%s", fiscalYear: 2564, status: %s}) { created } }`, village, status)})
		req, _ := http.NewRequest(http.MethodPost, two+"/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+admin)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("mutation through the second replica: %v %v", res, err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(b), "errors") {
			t.Fatalf("mutation: %s", b)
		}
	}
	next := func(ch <-chan string, wait time.Duration) string {
		select {
		case e := <-ch:
			return e
		case <-time.After(wait):
			return ""
		}
	}
	set("50040108", "IN_PROGRESS")
	if e := next(chiangMai, 10*time.Second); !strings.Contains(e, `"villageCode":"50040108"`) || !strings.Contains(e, `"status":"IN_PROGRESS"`) ||
		!strings.Contains(e, `"previousStatus":"NOT_STARTED"`) {
		t.Errorf("Chiang Mai's subscriber got %q", e)
	}
	if e := next(chiangRai, time.Second); e != "" {
		t.Errorf("Chiang Rai's subscriber got a Chiang Mai event: %s", e)
	}
	// the program's progress, counted in Chiang Mai only (the subscriber's scope)
	if e := next(progress, 10*time.Second); !strings.Contains(e, `"fiscalYear":2564`) || !strings.Contains(e, `"plansInProgress":1`) ||
		strings.Contains(e, `"villagesTargeted":47`) {
		t.Errorf("the program's progress: %q", e)
	}
	if e := next(short, 5*time.Second); e == "" {
		t.Error("the viewer (every area) heard nothing")
	}
	// and Chiang Rai's subscriber does hear its own province
	const rai = "57030105" // a Chiang Rai demo village
	set(rai, "IN_PROGRESS")
	if e := next(chiangRai, 10*time.Second); !strings.Contains(e, rai) {
		t.Errorf("Chiang Rai's subscriber missed its own event: %q", e)
	}
	if e := next(chiangMai, time.Second); e != "" {
		t.Errorf("Chiang Mai's subscriber got a Chiang Rai event: %s", e)
	}
	// the short token's subscription ends when the token does
	deadline := time.After(15 * time.Second)
	for open := true; open; {
		select {
		case _, ok := <-short:
			open = ok
		case <-deadline:
			t.Fatal("the subscription outlived its token")
		}
	}
	if !strings.Contains(why(), "token expired") || !strings.Contains(why(), "4403") {
		t.Errorf("closed with %q", why())
	}

	// SIGTERM: the replica closes its subscriptions as going away, then exits 0
	if err := oneProcess.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline = time.After(15 * time.Second)
	for open := true; open; {
		select {
		case _, ok := <-chiangMai:
			open = ok
		case <-deadline:
			t.Fatal("a subscription outlived the shutdown")
		}
	}
	if w := chiangMaiWhy(); !strings.Contains(w, "1001") && !strings.Contains(w, "StatusGoingAway") || !strings.Contains(w, "shutting down") {
		t.Errorf("closed at shutdown with %q", w)
	}
	if err := oneProcess.Wait(); err != nil {
		t.Errorf("the replica exited with %v", err)
	}
}
