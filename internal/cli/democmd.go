package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/prasan-hub/prasan/internal/demo"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// demoData loads the demo data set, and with --national the national one on top.
func demoData(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.bind(fs, "database-url", "log-format", "log-level")
	national := fs.Bool("national", false, "also generate the national data set: ~74,000 villages with plans, items and budget lines for FY 2564–2566")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: prasan demo [--national] [flags]

Loads the demo data set (47 villages in 4 northern provinces) into the database,
and with --national a national one on the real geography, generated in SQL from
fixed hashes (the same on every load): about ten villages per subdistrict, a plan
per village for each of FY 2564–2566 with 3–7 items and 1–2 budget lines per item,
a provincial office per province, and two programs over a few thousand villages.
Loading again adds nothing.

Flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	log := newLogger(&c, stderr)
	db, err := openPrepared(ctx, &c, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := postgres.LoadDemo(ctx, db, demo.New()); err != nil {
		return err
	}
	if !*national {
		fmt.Fprintln(stdout, "demo data set loaded")
		return nil
	}
	fmt.Fprintln(stdout, "generating the national data set (a few minutes)…")
	s, err := postgres.LoadNational(ctx, db)
	if err != nil {
		return err
	}
	for _, step := range s.Steps {
		fmt.Fprintf(stdout, "  %-14s %6.1fs\n", step.Name, step.Took.Seconds())
	}
	fmt.Fprintf(stdout, "national data set: %d villages, %d plans, %d plan items, %d budget lines, %d program targets, in %.1fs\n",
		s.Villages, s.Plans, s.Items, s.Lines, s.ProgramVillages, s.Took.Seconds())
	return nil
}
