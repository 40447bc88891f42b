package web

import "testing"

func TestNegotiateEncoding(t *testing.T) {
	all := [numEncodings]bool{true, true, true}
	onlyGzip := [numEncodings]bool{true, true, false}
	tests := []struct {
		accept string
		have   [numEncodings]bool
		want   encoding
	}{
		{"", all, identity},
		{"gzip", all, encGzip},
		{"br", all, encBrotli},
		{"gzip, deflate, br, zstd", all, encBrotli},
		{"gzip, br", onlyGzip, encGzip},
		{"br", onlyGzip, identity},
		{"gzip;q=1.0, br;q=0.5", all, encGzip},
		{"br;q=0.001, gzip;q=0", all, encBrotli},
		{"BR;Q=0.9, GZIP", all, encGzip},
		{"x-gzip", all, encGzip},
		{"identity", all, identity},
		{"identity;q=1, gzip;q=0.5", all, identity},
		{"*", all, encBrotli},
		{"*;q=0, identity;q=0", all, identity}, // nothing acceptable: identity, never a refusal
		{"br;q=0, gzip;q=0", all, identity},
		{"gzip;q=2", all, identity}, // malformed q is 0
		{"gzip;q=0.5x", all, identity},
		{"gzip;level=1;q=0.8, br;q=0.7", all, encGzip},
		{",,;;=,", all, identity},
	}
	for _, tc := range tests {
		if got := negotiateEncoding(tc.accept, tc.have); got != tc.want {
			t.Errorf("%q: got %d, want %d", tc.accept, got, tc.want)
		}
	}
}

func TestParseQ(t *testing.T) {
	for in, want := range map[string]int{"q=1": 1000, "q=0": 0, "q=0.5": 500, "q=0.125": 125, " q = 0.25 ": 250,
		"q=1.000": 1000, "q=1.5": 1000, "q=0.1234": 0, "q=": 0, "q=.5": 0, "foo=bar": 1000, "q=-1": 0} {
		if got := parseQ(in); got != want {
			t.Errorf("parseQ(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestEtagMatches(t *testing.T) {
	tests := []struct {
		header, etag string
		want         bool
	}{
		{`"a"`, `"a"`, true},
		{`W/"a"`, `"a"`, true},
		{`"b", "a"`, `"a"`, true},
		{`*`, `"a"`, true},
		{`"a-gz"`, `"a"`, false},
		{`"a"`, `"a-gz"`, false},
		{`a`, `"a"`, false},
	}
	for _, tc := range tests {
		if got := etagMatches(tc.header, tc.etag); got != tc.want {
			t.Errorf("etagMatches(%q, %q) = %t", tc.header, tc.etag, got)
		}
	}
}

func TestVariantsAreSmallerOrAbsent(t *testing.T) {
	small, _ := newPage(pageKey{}, []byte("<p>hi</p>"), newCache(0))
	if small.compressed || small.encodingFor("gzip, br", true) != identity {
		t.Error("a tiny page got compressed variants")
	}
	page := make([]byte, 0, 20000)
	for len(page) < 20000 {
		page = append(page, "<li>Seinäjoki – Koszalin</li>\n"...)
	}
	c := newCache(0)
	p, _ := newPage(pageKey{}, page, c)
	tags := map[string]bool{}
	for e := range numEncodings {
		v := p.variant(e, nil, c)
		if e != identity && len(v.body) >= len(page) {
			t.Errorf("variant %d not smaller", e)
		}
		tags[v.etag] = true
	}
	if len(tags) != int(numEncodings) {
		t.Error("variants share an ETag")
	}
}
