// Command prasan runs the Prasan GraphQL hub. See `prasan --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/prasan-hub/prasan/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
