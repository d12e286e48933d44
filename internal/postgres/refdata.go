package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/refdata"
)

// LoadAdminAreas loads the reference geography into the area table, unless the same
// version is loaded already. It adds new areas and updates changed names and
// postcodes; it never deletes (villages and other data may point at an area). It
// reports whether it loaded anything.
func LoadAdminAreas(ctx context.Context, db *DB, ref *refdata.AdminAreas) (bool, error) {
	loaded := false
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		// Serialise concurrent loaders (several servers starting at once).
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('prasan.reference_data'))`); err != nil {
			return err
		}
		var sha string
		err := tx.QueryRow(ctx, `SELECT sha256 FROM reference_data WHERE name = $1`, ref.Name).Scan(&sha)
		if err == nil && sha == ref.SHA256 {
			return nil
		}
		if err != nil && err != pgx.ErrNoRows {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE area_in (code text COLLATE "C", parent_code text COLLATE "C", name_th text, postcodes text[]) ON COMMIT DROP`); err != nil {
			return err
		}
		rows := make([][]any, len(ref.Areas))
		for i, a := range ref.Areas {
			pc := a.Postcodes
			if pc == nil {
				pc = []string{}
			}
			rows[i] = []any{a.Code, a.ParentCode, a.NameTh, pc}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"area_in"}, []string{"code", "parent_code", "name_th", "postcodes"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO area (code, parent_code, name_th, postcodes)
			SELECT code, parent_code, name_th, postcodes FROM area_in ORDER BY length(code), code
			ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, postcodes = EXCLUDED.postcodes, updated_at = now()
			WHERE (area.name_th, area.postcodes) IS DISTINCT FROM (EXCLUDED.name_th, EXCLUDED.postcodes)`); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO reference_data (name, sha256, row_count) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, row_count = EXCLUDED.row_count, loaded_at = now()`,
			ref.Name, ref.SHA256, len(ref.Areas))
		loaded = true
		return err
	})
	return loaded, pgError(err, "load reference areas")
}
