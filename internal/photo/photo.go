package photo

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// Widths are the widths of the variants the public pages offer in srcset; a photo narrower
// than the largest gets its own width instead of the larger ones (never enlarged).
var Widths = []int{480, 960, 1600}

// ShareWidth and ShareHeight are the size of the share image (Open Graph) cut from a photo.
const ShareWidth, ShareHeight = 1200, 630

// Variant is one encoding of a photo at one size, without metadata.
type Variant struct {
	Format        Format // WebP or JPEG
	Width, Height int
	Body          []byte
}

// Result is what a photo becomes: its variants, widest last per format, and its share image.
type Result struct {
	Width, Height int // of the upright photo at the largest variant's scale
	Variants      []Variant
	Share         Variant // JPEG, ShareWidth x ShareHeight
	// WorkerRSS is the peak resident memory of the worker process that made it.
	WorkerRSS int64
}

// Processor makes the variants of photos in worker processes (cmd/twintowns-photo, with
// libvips), a bounded number at once: a burst of uploads waits for a slot instead of
// decoding every photo together, a decoder's crash on a hostile file ends only its worker,
// and a worker's memory goes back to the system when it exits.
type Processor struct {
	slots   chan struct{}
	command func(ctx context.Context) *exec.Cmd
}

// NewProcessor returns a processor that runs at most n workers at a time, each started by
// command.
func NewProcessor(n int, command func(ctx context.Context) *exec.Cmd) *Processor {
	return &Processor{slots: make(chan struct{}, max(n, 1)), command: command}
}

// Process checks an uploaded image (Probe: formats and limits from its header) and has a
// worker make its variants. It waits for a slot, or for ctx.
func (p *Processor) Process(ctx context.Context, b []byte) (Result, error) {
	if _, err := Probe(b); err != nil {
		return Result{}, err
	}
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	cmd := p.command(ctx)
	var out, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(b), &out, &limited{w: &stderr, n: 4 << 10}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) && !exit.Exited() {
			// killed by a signal: a decoder that crashed on the file
			return Result{}, fmt.Errorf("%w: the worker died: %v: %s", ErrBroken, err, stderr.String())
		}
		return Result{}, fmt.Errorf("photo worker: %w: %s", err, stderr.String())
	}
	var rep reply
	if err := gob.NewDecoder(&out).Decode(&rep); err != nil {
		return Result{}, fmt.Errorf("photo worker's reply: %w", err)
	}
	if rep.Err != "" {
		for _, e := range []error{ErrFormat, ErrPixels, ErrSize, ErrBroken} {
			if rep.Kind == e.Error() {
				return Result{}, fmt.Errorf("%w: %s", e, rep.Err)
			}
		}
		return Result{}, fmt.Errorf("photo worker: %s", rep.Err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rep.Result.WorkerRSS = ru.Maxrss << 10
	}
	return rep.Result, nil
}

// WorkerName is the program of the photo worker, installed beside twintowns.
const WorkerName = "twintowns-photo"

// InstalledWorker starts the worker installed beside the running program, or else the one
// found in PATH.
func InstalledWorker(ctx context.Context) *exec.Cmd {
	return Worker(ctx, "")
}

// Worker starts the worker at path, or the installed one for "".
func Worker(ctx context.Context, path string) *exec.Cmd {
	if path == "" {
		path = WorkerName
		if self, err := os.Executable(); err == nil {
			if p := filepath.Join(filepath.Dir(self), WorkerName); fileExists(p) {
				path = p
			}
		}
	}
	return exec.CommandContext(ctx, path)
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// reply is what a worker writes: the result, or the error and which of ours it is.
type reply struct {
	Result    Result
	Err, Kind string
}

// ServeWorker is a worker's life: the image from r, its variants (or the error) made by
// process to w.
func ServeWorker(r io.Reader, w io.Writer, process func([]byte) (Result, error)) error {
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return err
	}
	var rep reply
	rep.Result, err = process(b)
	if err != nil {
		rep = reply{Err: err.Error()}
		for _, e := range []error{ErrFormat, ErrPixels, ErrSize, ErrBroken} {
			if errors.Is(err, e) {
				rep.Kind = e.Error()
			}
		}
	}
	return gob.NewEncoder(w).Encode(rep)
}

// limited keeps the first n bytes written to it.
type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
