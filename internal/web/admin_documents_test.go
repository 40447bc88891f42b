package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"testing"
)

// File names in other scripts or starting with punctuation, and parallel uploads of one name,
// are all stored, under valid and distinct slugs.
func TestUploadNames(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	s.login("jan@siedlce.pl")
	id := cityID(t, e, "siedlce", "sabinov")
	path := fmt.Sprintf("/admin/sites/siedlce/cities/%d/documents", id)
	pdf := []byte("%PDF-1.4\n")
	names := []string{"Äänekoski sopimus.pdf", "Łódź umowa.pdf", "(luonnos) sopimus.pdf", "-draft.pdf", ".pdf", "Ö.pdf"}
	for _, name := range names {
		if res := s.upload(path, name, pdf); res.StatusCode != http.StatusSeeOther {
			t.Errorf("upload %q: %d", name, res.StatusCode)
		}
	}
	const parallel = 8
	var wg sync.WaitGroup
	status := make([]int, parallel)
	for i := range parallel {
		wg.Go(func() { status[i] = s.upload(path, "umowa.pdf", pdf).StatusCode })
	}
	wg.Wait()
	for i, st := range status {
		if st != http.StatusSeeOther {
			t.Errorf("parallel upload %d: %d", i, st)
		}
	}
	rows, err := e.db.Pool.Query(context.Background(), `SELECT slug FROM city_attachments WHERE city_id = $1 AND content IS NOT NULL`, id)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for rows.Next() {
		var slug string
		rows.Scan(&slug)
		if seen[slug] || !regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`).MatchString(slug) {
			t.Errorf("slug %q", slug)
		}
		seen[slug] = true
	}
	if len(seen) != len(names)+parallel {
		t.Errorf("%d documents stored, want %d: %v", len(seen), len(names)+parallel, seen)
	}
	for _, want := range []string{"aanekoski-sopimus-", "lodz-umowa-", "luonnos-sopimus-", "draft-", "o-"} {
		found := false
		for slug := range seen {
			found = found || len(slug) > len(want) && slug[:len(want)] == want
		}
		if !found {
			t.Errorf("no slug starting %q in %v", want, seen)
		}
	}
}
