package photo_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"twintowns/internal/photo"
	"twintowns/internal/photo/phototest"
	"twintowns/internal/photo/vips"
)

func TestMain(m *testing.M) {
	phototest.WorkerMain(vips.Process)
	os.Exit(m.Run())
}

// A worker process makes the variants; what it refuses comes back as our errors; a worker
// that crashes is a file that cannot be read, not a server error.
func TestProcessorRunsWorkers(t *testing.T) {
	p := photo.NewProcessor(2, phototest.Worker)
	r, err := p.Process(context.Background(), phototest.JPEG(1000, 700, 6))
	if err != nil {
		t.Fatal(err)
	}
	if r.Width != 700 || r.Height != 1000 || len(r.Variants) != 4 || r.Share.Width != photo.ShareWidth || r.WorkerRSS == 0 {
		t.Errorf("result %dx%d, %d variants, share %d, worker RSS %d", r.Width, r.Height, len(r.Variants), r.Share.Width, r.WorkerRSS)
	}
	if _, err := p.Process(context.Background(), phototest.JPEG(800, 600, 0)[:2000]); !errors.Is(err, photo.ErrBroken) {
		t.Errorf("a damaged file: %v", err)
	}
	crash := photo.NewProcessor(1, func(ctx context.Context) *exec.Cmd { return exec.CommandContext(ctx, "sh", "-c", "kill -SEGV $$") })
	if _, err := crash.Process(context.Background(), phototest.JPEG(64, 48, 0)); !errors.Is(err, photo.ErrBroken) {
		t.Errorf("a worker that crashed: %v", err)
	}
	if _, err := p.Process(context.Background(), []byte("%PDF-1.4")); !errors.Is(err, photo.ErrFormat) {
		t.Errorf("a PDF: %v", err)
	}
}

// At most n workers run at once: a photo waits for a slot, and gives up when its request does.
func TestProcessorIsBounded(t *testing.T) {
	slow := func(ctx context.Context) *exec.Cmd { return exec.CommandContext(ctx, "sleep", "1") }
	p := photo.NewProcessor(1, slow)
	done := make(chan struct{})
	go func() { p.Process(context.Background(), phototest.JPEG(64, 48, 0)); close(done) }()
	time.Sleep(200 * time.Millisecond) // the first holds the one slot
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := p.Process(ctx, phototest.JPEG(64, 48, 0)); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) < 250*time.Millisecond {
		t.Errorf("a second photo while the slot is taken: %v after %s", err, time.Since(start))
	}
	<-done
}
