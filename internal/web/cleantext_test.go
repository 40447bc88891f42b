package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Control characters typed into a form are dropped and text is stored in NFC, whatever the
// form; text stored before that (here written straight into the database) never makes an
// export fail.
func TestControlCharactersAreCleanedAndExportsWork(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	id := cityID(t, e, "seinajoki", "koszalin")
	path := fmt.Sprintf("/admin/sites/seinajoki/cities/%d", id)
	form := formOf(t, s.get(path).body)
	form.Set("name_fi", "Kosza\x01lin")
	form.Set("summary_it", "Riassunto\x0b con caffe\u0301 e\u0085 righe\r\nnuove")
	form.Set("action", "publish")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.body)
	}
	var name, summary string
	e.db.Pool.QueryRow(context.Background(), `SELECT
		(SELECT name FROM city_texts WHERE city_id = $1 AND lang = 'fi'),
		(SELECT summary FROM city_texts WHERE city_id = $1 AND lang = 'it')`, id).Scan(&name, &summary)
	if name != "Koszalin" || summary != "Riassunto con caffé e righe\r\nnuove" {
		t.Errorf("stored %q and %q", name, summary)
	}
	e.srv.Invalidate()
	if page := e.get(t, seinajoki, "/it/"); strings.ContainsAny(page.body, "\x01\x0b\u0085") {
		t.Error("the home page and its map carry a control character")
	}

	// text stored before it was cleaned on the way in
	if _, err := e.db.Pool.Exec(context.Background(), `UPDATE city_texts SET name = 'Vaasa' || chr(1), summary = 'x' || chr(11)
		WHERE city_id = $1 AND lang IN ('fi', 'it')`, cityID(t, e, "seinajoki", "sopron")); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"from=fi&to=it&scope=all&format=xliff", "from=it&to=sv&scope=all&format=xliff", "from=fi&to=sv&scope=all&format=po"} {
		form, _ := url.ParseQuery(q)
		res := s.post("/admin/sites/seinajoki/translations/export", form) // an export makes a job
		if res.StatusCode != http.StatusOK || strings.ContainsAny(res.body, "\x01\x0b") {
			t.Errorf("export %s: %d", q, res.StatusCode)
			continue
		}
		if strings.HasSuffix(q, "xliff") {
			for dec := xml.NewDecoder(strings.NewReader(res.body)); ; {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("export %s is not well-formed: %v", q, err)
					break
				}
			}
		}
	}
}
