package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Listen holds a connection of its own (not one of the pool's) listening on a
// channel, and calls handle with each notification's payload until ctx ends or
// the connection fails, which it returns. ready is called once it listens.
func (db *DB) Listen(ctx context.Context, channel string, ready func(), handle func(payload string)) error {
	conn, err := pgx.ConnectConfig(ctx, db.Pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		handle(n.Payload)
	}
}
