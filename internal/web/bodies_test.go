package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// countingBody is a request body of n bytes that counts what the server reads of it.
type countingBody struct {
	r    io.Reader
	read int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	return n, err
}

// multipartBody is a multipart form with one file of size bytes.
func multipartBody(size int) (io.Reader, string) {
	var head bytes.Buffer
	w := multipart.NewWriter(&head)
	w.CreateFormFile("file", "big.pdf")
	tail := "\r\n--" + w.Boundary() + "--\r\n"
	return io.MultiReader(&head, io.LimitReader(zeros{}, int64(size)), strings.NewReader(tail)), w.FormDataContentType()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// Bodies are read only by the routes that take them, and only up to their limit: a request
// anywhere else costs nothing whatever it sends.
func TestBodiesAreBoundedBeforeTheyAreRead(t *testing.T) {
	e := shared(t)
	const big = 10 << 20
	tests := []struct {
		name, path string
		chunked    bool  // no Content-Length: the limit must stop the reading
		status     int   // the answer
		most       int64 // the most the server may read
	}{
		{"unknown path", "/nowhere/at/all", false, 404, 0},
		{"unknown path, chunked", "/nowhere/at/all", true, 404, 0},
		{"a page that takes no body", "/fi/cities/koszalin", true, 405, 0},
		{"the staff area, signed out", "/admin/sites/seinajoki/cities/1/documents", true, 303, 0},
		{"unknown staff path", "/admin/nothing", true, 404, 0},
		{"sign-in", "/admin/login", false, 413, 0},
		{"sign-in, chunked", "/admin/login", true, 413, 8<<10 + 1},
		{"feedback, chunked", "/sv/accessibility/feedback", true, 413, 64<<10 + 1},
		{"password link, chunked", "/admin/password/abc", true, 413, 8<<10 + 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, ctype := multipartBody(big)
			body := &countingBody{r: r}
			req := httptest.NewRequest(http.MethodPost, "http://"+seinajoki+tc.path, body)
			req.Header.Set("Content-Type", ctype)
			req.Header.Set("Accept-Language", "sv")
			req.ContentLength = -1
			if !tc.chunked {
				req.ContentLength = big + 200
			}
			w := httptest.NewRecorder()
			e.srv.ServeHTTP(w, req)
			if w.Code != tc.status || body.read > tc.most {
				t.Errorf("%d, read %d bytes; want %d, at most %d bytes", w.Code, body.read, tc.status, tc.most)
			}
			if tc.status == 413 && (!strings.Contains(w.Body.String(), "Inget sparades") || w.Header().Get("Content-Language") != "sv") {
				t.Errorf("413 page not translated:\n%s", w.Body.String())
			}
		})
	}
}

// The feedback form's and the staff forms' limits fire: 413, not 422, for 200 kB of feedback;
// an import over 8 MB (TestImportRefusesBadFiles's other refusals are 422) and a document
// over 10 MB are refused before they are parsed.
func TestOversizedFormsGet413(t *testing.T) {
	e := newEnv(t)
	feedback := url.Values{"message": {strings.Repeat("ä", 100_000)}, "email": {"a@example.org"}}
	req := httptest.NewRequest(http.MethodPost, "http://"+seinajoki+"/fi/accessibility/feedback", strings.NewReader(feedback.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "Mitään ei tallennettu") {
		t.Errorf("200 kB of feedback: %d", w.Code)
	}
	if res := e.get(t, seinajoki, "/fi/accessibility/feedback"); res.StatusCode != 200 {
		t.Errorf("feedback form: %d", res.StatusCode)
	}

	s := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	s.lang = "pl"
	s.login("jan@siedlce.pl")
	for _, tc := range []struct {
		path string
		size int
	}{
		{"/admin/sites/siedlce/translations/import", 9 << 20},
		{fmt.Sprintf("/admin/sites/siedlce/cities/%d/documents", cityID(t, e, "siedlce", "sabinov")), 11 << 20},
	} {
		res := s.upload(tc.path, "big.xlf", bytes.Repeat([]byte("x"), tc.size))
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "Nic nie zostało zapisane") {
			t.Errorf("%s, %d bytes: %d", tc.path, tc.size, res.StatusCode)
		}
	}
	// within their limits the same forms work
	if res := s.upload("/admin/sites/siedlce/translations/import", "small.xlf", []byte("<xliff/>")); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("small import: %d", res.StatusCode)
	}
}
