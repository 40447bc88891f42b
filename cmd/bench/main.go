// Command bench measures the real twintowns server on the demo data and a real PostgreSQL
// against a plain static file server serving the same bytes: requests per second, p50 and
// p99 latency, and each server's peak RSS. `make bench` runs it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
