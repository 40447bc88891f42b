package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// encode encodes form as the content type asks: URL-encoded or multipart, whatever its case.
func encode(contentType string, form url.Values) (io.Reader, string) {
	if !strings.HasPrefix(strings.ToLower(contentType), "multipart/") {
		return strings.NewReader(form.Encode()), contentType
	}
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	w.Close()
	return &b, contentType + "; boundary=" + w.Boundary()
}

// NUL bytes and invalid UTF-8 never reach PostgreSQL, whatever the case of the content type
// or the encoding of the form: no form answers 5xx.
func TestFormsCleanedWhateverTheContentType(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "admin@example.org", "", true)
	root.login("admin@example.org")
	id := cityID(t, e, "seinajoki", "koszalin")
	// every text field holds the value; the other fields keep what the form shows, so that the
	// text passes validation and would reach PostgreSQL
	plain := []string{"email", "password", "password2", "message", "page", "title_fi", "title_pl"}
	prefixes := []string{"name_", "full_name_", "summary_", "description_", "aims_", "association_", "intro_",
		"partners_intro_", "history_title_", "history_", "events_title_", "events_", "title_"}
	isText := func(field string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(field, p) {
				return true
			}
		}
		return false
	}
	edit := fmt.Sprintf("/admin/sites/seinajoki/cities/%d", id)
	if res := root.upload(edit+"/documents", "sopimus.pdf", []byte("%PDF-1.4\n")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	var docID int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT max(id) FROM city_attachments WHERE city_id = $1`, id).Scan(&docID); err != nil {
		t.Fatal(err)
	}
	doc := fmt.Sprintf("/admin/sites/seinajoki/documents/%d", docID)
	forms := map[string]func() url.Values{
		"/admin/login":                      func() url.Values { return url.Values{} },
		"/pl/accessibility/feedback":        func() url.Values { return url.Values{} },
		edit:                                func() url.Values { return formOf(t, root.get(edit).body) },
		"/admin/sites/seinajoki/cities/new": func() url.Values { return formOf(t, root.get("/admin/sites/seinajoki/cities/new").body) },
		"/admin/sites/seinajoki/texts":      func() url.Values { return formOf(t, root.get("/admin/sites/seinajoki/texts").body) },
		edit + "/documents":                 func() url.Values { return url.Values{} },
		doc:                                 func() url.Values { return formOf(t, root.get(doc).body) },
		"/admin/sites/seinajoki/settings":   func() url.Values { return formOf(t, root.get("/admin/sites/seinajoki/settings").body) },
		edit + "/translate?to=sv":           func() url.Values { return formOf(t, root.get(edit+"/translate?to=sv").body) },
		"/admin/users/new":                  func() url.Values { return formOf(t, root.get("/admin/users/new").body) },
		"/admin/password/abc":               func() url.Values { return url.Values{} },
		"/admin/sites/seinajoki/translations/import/confirm": func() url.Values {
			return url.Values{"token": {"x"}, "accept": {"city/1/name"}}
		},
	}
	types := []string{"Application/X-WWW-Form-Urlencoded", "APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8",
		"Multipart/Form-Data", "MULTIPART/FORM-DATA"}
	for n, v := range []string{"\x00", "a\xffb", "\xfe\x00\xc3"} {
		for _, ct := range types {
			for path, base := range forms {
				for i, action := range []string{"preview", "draft", "publish"} {
					form := base()
					form.Set("action", action)
					for f := range form {
						if isText(f) {
							form.Set(f, fmt.Sprintf("%d ok %s", i, v))
						}
					}
					for _, f := range plain {
						form.Set(f, fmt.Sprintf("%d ok %s", i, v))
					}
					if strings.HasSuffix(path, "/new") {
						form.Set("slug", fmt.Sprintf("new-%d-%d-%d", n, i, len(ct)))
					}
					b, contentType := encode(ct, form)
					req, _ := http.NewRequest(http.MethodPost, root.base+path, b)
					req.Header.Set("Content-Type", contentType)
					res, err := root.c.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode >= 500 {
						t.Errorf("POST %s as %q with %q (%s): %d", path, ct, v, action, res.StatusCode)
					}
				}
			}
		}
	}
}
