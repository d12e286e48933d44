package server

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/ingest"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/request"
)

// MaxUploadBytes caps an uploaded file.
const MaxUploadBytes = 512 << 20

// upload takes a file of the caller's agency's records — the body of POST
// /upload/{kind} (villages, village-plans, plan-items, budget-lines, facilitators,
// prevention-activities), CSV (text/csv) or JSON Lines (application/x-ndjson) —
// through the same pipeline as prasan import: streamed, all or nothing, every bad
// row named. ?dryRun=true checks without writing. It answers 200 when imported or
// checked, 422 with the bad rows otherwise, in JSON.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	p := auth.PrincipalFrom(r.Context())
	kind := ingest.KindNamed(r.PathValue("kind"))
	if kind == nil && r.PathValue("kind") != "villages" {
		writeError(w, http.StatusNotFound, apperr.New(apperr.NotFound,
			"no such kind of records: upload to /upload/villages, village-plans, plan-items, budget-lines, facilitators or prevention-activities"))
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var format ingest.Format
	switch mt {
	case "text/csv":
		format = ingest.FormatCSV
	case "application/x-ndjson", "application/jsonl", "application/jsonlines":
		format = ingest.FormatJSONL
	default:
		writeError(w, http.StatusUnsupportedMediaType, apperr.New(apperr.BadUserInput, "send text/csv or application/x-ndjson"))
		return
	}
	dryRun, _ := strconv.ParseBool(r.URL.Query().Get("dryRun"))
	// A large file on a slow line takes longer than the server's read timeout.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(30 * time.Minute))
	r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBytes)
	var file *string
	if name := r.URL.Query().Get("fileName"); name != "" {
		file = &name
	}
	from := postgres.Sender{Agency: p.Agency, Subject: p.Subject, Channel: ingest.ChannelUpload, File: file}
	store := s.ingest
	var run func() (*postgres.FileImport, error)
	if kind == nil {
		villages, err := ingest.NewVillageReader(r.Body, format)
		if err != nil {
			writeError(w, http.StatusUnprocessableEntity, apperr.New(apperr.BadUserInput, "%s", err))
			return
		}
		run = func() (*postgres.FileImport, error) {
			return store.ImportVillages(r.Context(), p.WriteScope(auth.ResourceVillage), from, villages, dryRun, nil)
		}
	} else {
		records, err := ingest.NewRecordReader(r.Body, format, kind)
		if err != nil {
			writeError(w, http.StatusUnprocessableEntity, apperr.New(apperr.BadUserInput, "%s", err))
			return
		}
		run = func() (*postgres.FileImport, error) {
			return store.ImportRecords(r.Context(), kind, postgres.WriterOf(p, kind), from, records, dryRun, nil)
		}
	}
	kindName := "village"
	if kind != nil {
		kindName = kind.Name
	}
	entry := postgres.AuditEntry{Kind: "upload", OperationName: &kindName, Subject: &p.Subject, AgencyCode: &p.Agency}
	role := string(p.Role)
	entry.Role = &role
	if info := request.From(r.Context()); info.ID != "" {
		entry.RequestID, entry.ClientAddr = &info.ID, &info.ClientAddr
	}
	entry.Variables, _ = json.Marshal(map[string]any{"kind": kindName, "dryRun": dryRun, "fileName": file})
	res, err := postgres.NewAuditStore(s.db).AuditImport(r.Context(), s.log, entry, run)
	if res != nil {
		s.metrics.ImportRows(kindName, res.Rows, res.Applied)
	}
	if err != nil {
		status := http.StatusInternalServerError
		switch apperr.CodeOf(err) {
		case apperr.Forbidden:
			status = http.StatusForbidden
		case apperr.BadUserInput:
			status = http.StatusUnprocessableEntity
		case apperr.Unavailable:
			status = http.StatusServiceUnavailable
		default:
			s.log.ErrorContext(r.Context(), "upload failed", "err", err)
			err = apperr.New(apperr.Internal, "internal error")
		}
		writeError(w, status, err)
		return
	}
	status := http.StatusOK
	if res.Rejected > 0 {
		status = http.StatusUnprocessableEntity
	}
	errs := make([]map[string]any, len(res.Errors))
	for i, e := range res.Errors {
		errs[i] = map[string]any{"row": e.Row, "column": e.Column, "message": e.Message}
	}
	writeJSON(w, status, map[string]any{
		"batchId": res.BatchID, "dryRun": res.DryRun, "applied": res.Applied, "rows": res.Rows,
		"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "rejected": res.Rejected, "errors": errs,
	})
}

// writeError answers with one error in the GraphQL error shape.
func writeError(w http.ResponseWriter, status int, err error) {
	msg, code := "internal error", apperr.CodeOf(err)
	if ae, ok := apperr.As(err); ok {
		msg = ae.Message
	}
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": string(code)}}}})
}
