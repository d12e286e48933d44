package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/ingest"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// shownErrors is how many bad rows the import command prints.
const shownErrors = 50

func importFile(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.bind(fs, "database-url", "log-format", "log-level")
	kind := fs.String("kind", "", "kind of records: village, village-plan, plan-item, budget-line, facilitator or prevention-activity")
	agency := fs.String("agency", "", "code of the agency whose records the file holds, e.g. MOI-OPS")
	format := fs.String("format", "", "csv or jsonl (default: from the file name's extension)")
	dryRun := fs.Bool("dry-run", false, "check the whole file and report, writing nothing")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: prasan import --kind KIND --agency CODE [flags] FILE

Imports a file of an agency's records, all or nothing: with any bad row nothing is
written, and every bad row is reported with its row and column. FILE may be - for
standard input. CSV files are UTF-8 (with or without BOM) with a header row naming
the columns in English or Thai; numbers may use Thai digits and thousands separators.

Flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() != 1 || *kind == "" || *agency == "" {
		fs.Usage()
		return errUsage
	}
	records := ingest.KindNamed(*kind)
	if *kind != "village" && records == nil {
		return fmt.Errorf("--kind %q: one of village, village-plan, plan-item, budget-line, facilitator, prevention-activity", *kind)
	}
	// a file's rows are garbage once staged, as a request's objects are once
	// answered: the collector as the server has it (COPY of a national items file
	// 2.40–2.48 → 1.96–2.06 s, peak RSS 40 → 57 MB)
	tuneGarbageCollector()
	path := fs.Arg(0)
	f := ingest.Format(strings.ToLower(*format))
	if f == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".csv":
			f = ingest.FormatCSV
		case ".jsonl", ".ndjson":
			f = ingest.FormatJSONL
		default:
			return fmt.Errorf("cannot tell the format of %q: pass --format csv or --format jsonl", path)
		}
	}
	in := io.Reader(os.Stdin)
	if path != "-" {
		file, err := os.Open(path)
		if err != nil {
			return err
		}
		defer file.Close()
		in = file
	}
	var villages *ingest.VillageReader
	var others *ingest.RecordReader
	var err error
	if records == nil {
		villages, err = ingest.NewVillageReader(in, f)
	} else {
		others, err = ingest.NewRecordReader(in, f, records)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	log := newLogger(&c, stderr)
	db, err := openPrepared(ctx, &c, log)
	if err != nil {
		return err
	}
	defer db.Close()
	who := "cli"
	if u, err := user.Current(); err == nil {
		who = "cli:" + u.Username
	}
	name := filepath.Base(path)
	start := time.Now()
	progress := func(rows int) {
		fmt.Fprintf(stderr, "… %d rows read (%.0f rows/s)\n", rows, float64(rows)/time.Since(start).Seconds())
	}
	// The operator runs the command with the database's own credentials: every
	// area is in scope.
	from := postgres.Sender{Agency: *agency, Subject: who, Channel: ingest.ChannelCLI, File: &name}
	store := postgres.NewIngestStore(db, postgres.NewAreaStore(db))
	entry := postgres.AuditEntry{Kind: "import", Subject: &who, AgencyCode: agency, OperationName: kind}
	entry.Variables, _ = json.Marshal(map[string]any{"kind": *kind, "dryRun": *dryRun, "file": name})
	res, err := postgres.NewAuditStore(db).AuditImport(ctx, log, entry, func() (*postgres.FileImport, error) {
		if records == nil {
			return store.ImportVillages(ctx, auth.All(), from, villages, *dryRun, progress)
		}
		return store.ImportRecords(ctx, records, postgres.Writer{Scope: auth.All()}, from, others, *dryRun, progress)
	})
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	for i, e := range res.Errors {
		if i == shownErrors {
			fmt.Fprintf(stdout, "… and %d more bad rows\n", res.Rejected-shownErrors)
			break
		}
		fmt.Fprintf(stdout, "%s: %s\n", path, e.Error())
	}
	verdict := "imported"
	switch {
	case res.Rejected > 0:
		verdict = "NOT imported: fix the rows above and send the whole file again"
	case res.DryRun:
		verdict = "checked (dry run): nothing written"
	}
	fmt.Fprintf(stdout, "%s: %d rows in %.1fs (%.0f rows/s): %d created, %d updated, %d unchanged, %d rejected — %s",
		path, res.Rows, elapsed.Seconds(), float64(res.Rows)/elapsed.Seconds(), res.Created, res.Updated, res.Unchanged, res.Rejected, verdict)
	if res.BatchID != nil {
		fmt.Fprintf(stdout, " (batch %d)", *res.BatchID)
	}
	fmt.Fprintln(stdout)
	if res.Rejected > 0 {
		return errRejected
	}
	return nil
}
