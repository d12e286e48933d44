package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os/user"
	"time"

	"github.com/prasan-hub/prasan/internal/postgres"
)

// audit checks the audit trail's hash chain, or prunes entries past retention.
func audit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.bind(fs, "database-url", "log-format", "log-level")
	olderThan := fs.Duration("older-than", 0, "prune: remove the entries older than this, such as 8760h (one year)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: prasan audit verify|prune [flags]

verify  walks the audit trail's hash chain and names every entry altered, removed
        or inserted out of place; exits 1 when the chain is broken.
prune   removes the entries older than --older-than (the retention), from the
        oldest end, and anchors the chain at the last one removed.

Flags:`)
		fs.PrintDefaults()
	}
	if len(args) == 0 {
		fs.Usage()
		return errUsage
	}
	action := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return parseError(err)
	}
	log := newLogger(&c, stderr)
	db, err := openPrepared(ctx, &c, log)
	if err != nil {
		return err
	}
	defer db.Close()
	trail := postgres.NewAuditStore(db)
	switch action {
	case "verify":
		checked, breaks, err := trail.Verify(ctx)
		if err != nil {
			return err
		}
		for _, b := range breaks {
			fmt.Fprintf(stdout, "entry %d: %s\n", b.Seq, b.Reason)
		}
		if len(breaks) > 0 {
			fmt.Fprintf(stdout, "audit trail BROKEN: %d of %d entries do not hold\n", len(breaks), checked)
			return errRejected
		}
		seq, hash, err := trail.Head(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "audit trail intact: %d entries; the last is %d, hash %s (keep it elsewhere: entries removed from the end show against it)\n", checked, seq, hash)
		return nil
	case "prune":
		if *olderThan <= 0 {
			return fmt.Errorf("prune: give the retention, e.g. --older-than 8760h")
		}
		who := "cli"
		if u, err := user.Current(); err == nil {
			who = "cli:" + u.Username
		}
		n, err := trail.Prune(ctx, time.Now().Add(-*olderThan), who)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "pruned %d audit entries older than %s\n", n, *olderThan)
		return nil
	}
	fs.Usage()
	return errUsage
}
