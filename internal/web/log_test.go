package web_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/alexedwards/scs/v2/memstore"

	"twintowns/internal/locale"
	"twintowns/internal/web"
)

// lockedBuffer is a log sink for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines(msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), `"msg":"`+msg+`"`)
}

// LOG_REQUESTS: every request, only server errors, or none; under "all" a sample of the
// requests without error.
func TestRequestLog(t *testing.T) {
	db := shared(t).db
	bundle, _ := locale.Load()
	serve := func(store web.Store, rl web.RequestLog, n int) *lockedBuffer {
		t.Helper()
		logs := &lockedBuffer{}
		srv, err := web.NewServer(slog.New(slog.NewJSONHandler(logs, nil)), store, bundle,
			web.Options{Sessions: memstore.New(), RequestLog: rl})
		if err != nil {
			t.Fatal(err)
		}
		e := &env{srv: srv}
		for range n {
			e.get(t, seinajoki, "/robots.txt")
		}
		return logs
	}
	for _, tc := range []struct {
		mode       string
		ok, failed int // lines of 100 good requests, of 100 requests while the database is down
	}{
		{"", 100, 100}, {"all", 100, 100}, {"errors", 0, 100}, {"none", 0, 0},
	} {
		rl, err := web.ParseRequestLog(tc.mode, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := serve(db, rl, 100).lines("request"); got != tc.ok {
			t.Errorf("LOG_REQUESTS=%q: %d lines of 100 answered requests, want %d", tc.mode, got, tc.ok)
		}
		if got := serve(downStore{}, rl, 100).lines("request"); got != tc.failed {
			t.Errorf("LOG_REQUESTS=%q: %d lines of 100 failed requests, want %d", tc.mode, got, tc.failed)
		}
	}
	rl, _ := web.ParseRequestLog("all", "0.25")
	if got := serve(db, rl, 2000).lines("request"); got < 350 || got > 650 {
		t.Errorf("sample 0.25: %d lines of 2000 requests", got)
	}
	if got := serve(downStore{}, rl, 100).lines("request"); got != 100 {
		t.Errorf("sample 0.25: %d lines of 100 failed requests, want all", got)
	}
	for _, bad := range [][2]string{{"some", ""}, {"ALL", ""}, {"all", "0"}, {"all", "1.5"}, {"all", "x"}, {"all", "NaN"}} {
		if _, err := web.ParseRequestLog(bad[0], bad[1]); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
