package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/demo"
)

func token(args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.bind(fs, "local-key-file")
	roles := fs.String("role", "", "role(s) the token allows, comma-separated, the first being the default: "+roleList())
	subject := fs.String("subject", "", "who the token is for (default: dev-<first role>)")
	agency := fs.String("agency", "", "agency code of the caller, e.g. ONCB-R5")
	areas := fs.String("areas", "", "area codes the caller may see, comma-separated (for oncb_region, province, partner)")
	programs := fs.String("programs", "", "program codes the caller may see, comma-separated (for pidthong)")
	purpose := fs.String("purpose", "", "purpose of use, e.g. drug-prevention-plan")
	ttl := fs.Duration("ttl", time.Hour, "how long the token is valid (at most 720h)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: prasan token --role R [flags]\n\nMints a token of the hub's local issuer (HS256, signed with the local key file),\nfor development and scripts. Partners use tokens of their own identity providers.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if *roles == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	req := auth.TokenRequest{Subject: *subject, Agency: *agency, Areas: list(*areas), Programs: list(*programs), Purpose: *purpose, TTL: *ttl}
	for _, r := range list(*roles) {
		req.Roles = append(req.Roles, auth.Role(r))
	}
	if req.Subject == "" {
		req.Subject = "dev-" + string(req.Roles[0])
	}
	if _, err := auth.EnsureLocalKey(c.localKeyFile()); err != nil {
		return err
	}
	t, err := auth.MintLocal(c.localKeyFile(), req, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, t)
	return nil
}

func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func roleList() string {
	var s []string
	for _, r := range auth.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

// demoCallers are the callers of the demo, one per role, with the grants that fit
// the demo's agencies.
var demoCallers = []auth.TokenRequest{
	{Subject: "demo-admin", Roles: []auth.Role{auth.RoleAdmin}},
	{Subject: "demo-oncb", Agency: "ONCB", Roles: []auth.Role{auth.RoleONCB}},
	{Subject: "demo-oncb-region5", Agency: "ONCB-R5", Roles: []auth.Role{auth.RoleONCBRegion}, Areas: []string{"50", "56", "57", "58"}},
	{Subject: "demo-moi", Agency: "MOI-OPS", Roles: []auth.Role{auth.RoleMOI}},
	{Subject: "demo-chiangmai", Agency: "PO-50", Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"50"}},
	{Subject: "demo-pidthong", Agency: "PIDTHONG", Roles: []auth.Role{auth.RolePidThong}, Programs: []string{demo.ProgramCode}},
	{Subject: "demo-cdd", Agency: "CDD", Roles: []auth.Role{auth.RolePartner}, Areas: []string{"57"}},
	{Subject: "demo-viewer", Roles: []auth.Role{auth.RoleViewer}},
}

// printDemoTokens prints a ready token for each role of the demo (valid 24 hours)
// and a first query to try.
func printDemoTokens(w io.Writer, c *Config, base string) error {
	if c.AuthConfig != "" {
		fmt.Fprintln(w, "\nDemo data is loaded. Tokens come from the issuers of", c.AuthConfig, "(or `prasan token` if it trusts the local issuer).")
		return nil
	}
	fmt.Fprintln(w, "\nDemo data is loaded. Tokens for each role (valid 24 hours; put one in the IDE's Headers tab as")
	fmt.Fprintln(w, `{"Authorization": "Bearer <token>"}):`)
	var admin string
	for _, r := range demoCallers {
		r.TTL = 24 * time.Hour
		t, err := auth.MintLocal(c.localKeyFile(), r, time.Now())
		if err != nil {
			return err
		}
		if r.Roles[0] == auth.RoleAdmin {
			admin = t
		}
		grants := strings.Join(append(r.Areas, r.Programs...), ",")
		fmt.Fprintf(w, "\n  %-11s %-8s %s\n  %s\n", r.Roles[0], r.Agency, grants, t)
	}
	fmt.Fprintf(w, "\nTry:\n  curl -s %s/graphql -H 'Content-Type: application/json' -H 'Authorization: Bearer %s' \\\n    -d '{\"query\":\"{ program(code: \\\"%s\\\") { progress { villagesTargeted plansCompleted plansNotStarted } } }\"}'\n",
		base, admin, demo.ProgramCode)
	return nil
}
