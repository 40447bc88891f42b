package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// At most n hashes run at once; the others wait their turn, or give up after the wait.
func TestHashesBoundsConcurrency(t *testing.T) {
	h := NewHashes(2, 30*time.Millisecond)
	var running, most, busy, done atomic.Int64
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			err := h.Do(context.Background(), func() {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(20 * time.Millisecond)
				running.Add(-1)
			})
			switch {
			case errors.Is(err, ErrBusy):
				busy.Add(1)
			case err == nil:
				done.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if most.Load() != 2 || done.Load() < 2 || busy.Load() == 0 {
		t.Errorf("at most %d at once, %d done, %d busy", most.Load(), done.Load(), busy.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	full := NewHashes(1, time.Second)
	full.slots <- struct{}{}
	if err := full.Do(ctx, func() { t.Error("ran without a turn") }); !errors.Is(err, context.Canceled) {
		t.Errorf("ended request: %v", err)
	}
}

func TestHashesFor(t *testing.T) {
	for _, tc := range []struct {
		budget int64
		cpus   int
		want   int
	}{{64 << 20, 2, 1}, {64 << 20, 4, 3}, {64 << 20, 8, 3}, {1 << 20, 4, 1}, {1 << 30, 0, 1}, {1 << 30, 5, 4}} {
		if got := HashesFor(tc.budget, tc.cpus); got != tc.want {
			t.Errorf("HashesFor(%d, %d) = %d, want %d", tc.budget, tc.cpus, got, tc.want)
		}
	}
}
