package web

import (
	"archive/zip"
	"bytes"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"twintowns/internal/twinning"
)

func TestFormRoundTrip(t *testing.T) {
	since := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	lat, lon := 62.79, 22.84
	c := twinning.City{Slug: "x", Kind: twinning.KindTwin, Country: "DE", Status: twinning.StatusSuspended,
		StatusSince: &since, Latitude: &lat, Longitude: &lon, WikidataID: "Q1", Version: 3,
		Population: &twinning.Population{Count: 1800000, Year: 2018, Approx: true, Millions: true},
		Agreement:  twinning.Agreement{Precision: twinning.PrecisionDay, Date: since},
		Texts: map[string]twinning.CityText{"sv": {Lang: "sv", Name: "X", Description: "Text", TranslatedFrom: "fi"},
			"fi": {Lang: "fi", Name: "X"}},
		Links: []twinning.Link{{Kind: twinning.LinkWikipedia, Lang: "sv", URL: "https://sv.wikipedia.org/wiki/X"}},
	}
	form := url.Values{}
	for k, v := range formValues(c) {
		form.Set(k, v)
	}
	got, errs := parseCity(readForm(form))
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if got.Population.Count != 1800000 || !got.Population.Millions || got.Population.Year != 2018 ||
		!got.Agreement.Date.Equal(since) || got.Texts["sv"].TranslatedFrom != "fi" || len(got.Links) != 1 ||
		*got.Latitude != lat || got.StatusSince == nil || got.Version != 3 {
		t.Errorf("round trip lost something: %+v", got)
	}
	if e := got.Validate(); len(e) > 0 {
		t.Errorf("valid city fails validation: %v", e)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		field, value, want string
	}{
		{"population", "many", "validation.number"},
		{"population_year", "2018", "validation.population_missing"},
		{"agreement_date", "26.7.1998", "validation.date_format"},
		{"latitude", "north", "validation.number"},
	}
	for _, tc := range tests {
		v := map[string]string{"agreement_precision": "day", "agreement_date": "1998-07-26", tc.field: tc.value}
		_, errs := parseCity(v)
		key := tc.field
		if tc.want == "validation.population_missing" {
			key = "population"
		}
		if errs[key] != tc.want {
			t.Errorf("%s=%q: errors %v, want %s", tc.field, tc.value, errs, tc.want)
		}
	}
	// empty link rows are dropped, cleared ones too
	form := url.Values{"links": {"2"}, "link_url_0": {""}, "link_url_1": {"https://example.org"}, "link_kind_1": {"other"}}
	if v := readForm(form); v["links"] != "1" || v["link_url_0"] != "https://example.org" {
		t.Errorf("readForm links = %v", v)
	}
}

func TestWordDiff(t *testing.T) {
	old, new := wordDiff("one two three four", "one three four five")
	if len(old) != 3 || !old[1].Changed || old[1].Text != " two" {
		t.Errorf("old = %+v", old)
	}
	if len(new) != 2 || !new[1].Changed || new[1].Text != " five" {
		t.Errorf("new = %+v", new)
	}
	_, lines := wordDiff("- a\n- b", "- a\n- b\n- c")
	if len(lines) != 2 || lines[0].Text != "- a\n- b" || lines[1].Text != "\n- c" || !lines[1].Changed {
		t.Errorf("line breaks: %+v", lines)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		content []byte
		format  string
		ok      bool
	}{
		{[]byte("%PDF-1.7\n..."), "pdf", true},
		{[]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}, "doc", true},
		{[]byte{0xFF, 0xD8, 0xFF, 0xE0}, "jpg", true},
		{[]byte("\x89PNG\r\n\x1a\n...."), "png", true},
		{[]byte("PK\x03\x04 not really a zip"), "", false},
		{[]byte("<html>"), "", false},
	}
	for _, tc := range tests {
		ft, ok := sniff(tc.content)
		if ok != tc.ok || ft.format != tc.format {
			t.Errorf("sniff(%q) = %v %v", tc.content[:4], ft, ok)
		}
	}
}

func TestSniffZipDocuments(t *testing.T) {
	mk := func(name, content string) []byte {
		var b bytes.Buffer
		w := zip.NewWriter(&b)
		f, _ := w.Create(name)
		f.Write([]byte(content))
		w.Close()
		return b.Bytes()
	}
	if ft, ok := sniff(mk("word/document.xml", "<w:document/>")); !ok || ft.format != "docx" {
		t.Errorf("docx: %v %v", ft, ok)
	}
	if ft, ok := sniff(mk("mimetype", "application/vnd.oasis.opendocument.text")); !ok || ft.format != "odt" {
		t.Errorf("odt: %v %v", ft, ok)
	}
	if _, ok := sniff(mk("mimetype", "application/vnd.oasis.opendocument.spreadsheet")); ok {
		t.Error("a spreadsheet passed as a document")
	}
}

func TestClientAddress(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.9:4000"
	r.Header.Set("X-Forwarded-For", "203.0.113.7, 198.51.100.2")
	if got := (&Server{}).clientAddress(r); got != "10.0.0.9" {
		t.Errorf("without a trusted proxy: %s", got)
	}
	if got := (&Server{opts: Options{TrustProxy: true}}).clientAddress(r); got != "198.51.100.2" {
		t.Errorf("behind a trusted proxy: %s", got)
	}
	r.Header.Set("X-Forwarded-For", "garbage")
	if got := (&Server{opts: Options{TrustProxy: true}}).clientAddress(r); got != "10.0.0.9" {
		t.Errorf("bad header: %s", got)
	}
}
