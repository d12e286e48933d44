package postgres_test

import (
	"testing"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/demo"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/postgres/pgtest"
)

func TestSmoke(t *testing.T) {
	db := pgtest.New(t)
	for i := 0; i < 2; i++ {
		loaded, err := postgres.LoadDemo(t.Context(), db, demo.New())
		t.Log(loaded, err)
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err := postgres.NewProgramStore(db).Progress(t.Context(), auth.All(), demo.ProgramCode, 2564)
	t.Logf("%+v %v", p, err)
}
