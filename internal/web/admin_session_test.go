package web

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/alexedwards/scs/v2/memstore"

	"twintowns/internal/locale"
	"twintowns/internal/pgtest"
)

// A session that cannot be saved once the handler starts its answer (as scs does it): the
// translated 503 page is the whole answer, not followed by what the handler goes on to write.
func TestSessionErrorIsTheWholeAnswer(t *testing.T) {
	bundle, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(slog.New(slog.DiscardHandler), pgtest.SeededDB(t), bundle, Options{Sessions: memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/admin/sites/siedlce/texts", nil)
	r = r.WithContext(locale.WithTranslator(r.Context(), bundle.For("pl")))
	w := &sessionWriter{ResponseWriter: rec}
	w.Header().Set("Location", "/admin/sites/siedlce/texts")
	down := &net.OpError{Op: "dial", Net: "unix", Err: syscall.ENOENT}
	s.sessionError(w, r, fmt.Errorf("scs: commit: %w", down))
	http.Redirect(w, r, "/admin/sites/siedlce/texts", http.StatusSeeOther)
	fmt.Fprint(w, "the handler's page")
	body, sent := rec.Body.String(), rec.Result().Header // the headers as written
	if rec.Code != http.StatusServiceUnavailable || sent.Get("Retry-After") == "" || sent.Get("Location") != "" {
		t.Errorf("status %d, headers %v", rec.Code, sent)
	}
	if !strings.Contains(body, "Nic nie zostało zapisane") || strings.Contains(body, "the handler's page") {
		t.Errorf("body:\n%s", body)
	}
}
