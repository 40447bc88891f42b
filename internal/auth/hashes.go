package auth

import (
	"context"
	"errors"
	"time"
)

// HashMemory is what one argon2id hash or check holds while it runs.
const HashMemory = argonMemory << 10

// ErrBusy is a password that could not be hashed in time: as many hashes as memory allows
// were running, and none ended while the request waited.
var ErrBusy = errors.New("auth: too many password hashes at once")

// Hashes bounds how many password hashes run at once, so that memory stays bounded whatever
// arrives: each takes HashMemory, and a hundred parallel sign-ins would otherwise take
// nearly 2 GiB.
type Hashes struct {
	slots chan struct{}
	wait  time.Duration
}

// NewHashes lets n hashes run at once (at least one); a request waits at most wait for a
// turn.
func NewHashes(n int, wait time.Duration) *Hashes {
	return &Hashes{slots: make(chan struct{}, max(1, n)), wait: wait}
}

// HashesFor is how many hashes fit in budget bytes, and leave a CPU of cpus to everything
// else (a hash is CPU work: more at once would not end sooner, and cached pages would wait),
// at least one.
func HashesFor(budget int64, cpus int) int {
	return max(1, min(cpus-1, int(budget/HashMemory)))
}

// Do runs f when a turn comes, or returns ErrBusy when none comes within the wait, or the
// context's error when the request ends first.
func (h *Hashes) Do(ctx context.Context, f func()) error {
	select {
	case h.slots <- struct{}{}:
	default:
		t := time.NewTimer(h.wait)
		defer t.Stop()
		select {
		case h.slots <- struct{}{}:
		case <-t.C:
			return ErrBusy
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() { <-h.slots }()
	f()
	return nil
}
