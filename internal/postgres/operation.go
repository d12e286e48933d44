package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
)

// RegisteredOperation is an operation an admin registered: callable by its hash
// (an automatic persisted query) and allowed to roles in allow-list mode.
type RegisteredOperation struct {
	SHA256       string
	Name         string
	Query        string
	RegisteredBy string
	RegisteredAt time.Time
}

// OperationHash is the hex sha256 of a query's text, as automatic persisted
// queries name it.
func OperationHash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// OperationStore keeps the registered operations.
type OperationStore struct{ db *DB }

// NewOperationStore returns an OperationStore on db.
func NewOperationStore(db *DB) *OperationStore { return &OperationStore{db: db} }

// Lookup returns the text of the registered operation with the hash, or "".
func (s *OperationStore) Lookup(ctx context.Context, hash string) (string, error) {
	var q string
	err := s.db.Pool.QueryRow(ctx, `SELECT query FROM registered_operation WHERE sha256 = $1`, hash).Scan(&q)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	return q, pgError(err, "registered operation")
}

// Register registers an operation (admins only), recording the change; the same
// text again keeps its first registration.
func (s *OperationStore) Register(ctx context.Context, p *auth.Principal, name, query, reason string) (*RegisteredOperation, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	if err := checkReason(reason); err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" || len(name) > 200 {
		return nil, apperr.Invalid("input.name", "name the operation (1 to 200 characters), such as partnerPull")
	}
	if strings.TrimSpace(query) == "" {
		return nil, apperr.Invalid("input.query", "the operation's text is empty")
	}
	var out RegisteredOperation
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `INSERT INTO registered_operation (sha256, name, query, registered_by) VALUES ($1, $2, $3, $4)
			ON CONFLICT (sha256) DO UPDATE SET name = registered_operation.name
			RETURNING sha256, name, query, registered_by, registered_at`, OperationHash(query), name, query, p.Subject)
		var err error
		if out, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[RegisteredOperation]); err != nil {
			return err
		}
		return recordChange(ctx, tx, p.Subject, "register_operation", "operation:"+out.SHA256, nil, map[string]string{"name": out.Name}, reason)
	})
	if err != nil {
		return nil, pgError(err, "register operation")
	}
	return &out, nil
}

// Operations lists the registered operations (admins only), newest first.
func (s *OperationStore) Operations(ctx context.Context, p *auth.Principal) ([]*RegisteredOperation, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	rows, _ := s.db.Pool.Query(ctx, `SELECT sha256, name, query, registered_by, registered_at FROM registered_operation ORDER BY registered_at DESC, sha256`)
	ops, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[RegisteredOperation])
	return ops, pgError(err, "registered operations")
}
