package layout

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestURLs(t *testing.T) {
	home := Page{Path: "/", BaseURL: "http://x", DefaultLang: "pl"}
	city := Page{Path: "/cities/kirov", BaseURL: "http://x", DefaultLang: "pl"}
	tests := []struct{ got, want string }{
		{home.URL("sv"), "http://x/sv/"},
		{home.XDefault(), "http://x/"},
		{city.URL("it"), "http://x/it/cities/kirov"},
		{city.XDefault(), "http://x/pl/cities/kirov"},
		{city.SwitchHref("fi"), "/fi/cities/kirov?switch=1"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// Text from staff cannot end the JSON-LD's script element.
func TestStructuredDataIsEscaped(t *testing.T) {
	p := Page{Lang: "fi", Path: "/", BaseURL: "http://x", Title: `</script><script>alert(1)</script>`,
		About: &Place{Type: "City", Name: "A & B <i>"}}
	var b strings.Builder
	if err := p.StructuredData().Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	body := strings.TrimSuffix(strings.TrimPrefix(out, `<script type="application/ld+json">`), `</script>`)
	if strings.Contains(body, "<") || strings.Contains(body, ">") {
		t.Fatalf("unescaped markup in %s", out)
	}
	var v struct {
		Name  string `json:"name"`
		About Place  `json:"about"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	if v.Name != p.Title || v.About.Name != "A & B <i>" {
		t.Errorf("round trip: %+v", v)
	}
}

func TestOtherLanguages(t *testing.T) {
	if got := (Page{Lang: "pl", Languages: []string{"sv", "it", "pl", "fi"}}).OtherLanguages(); len(got) != 3 || slices.Contains(got, "pl") {
		t.Errorf("OtherLanguages = %v", got)
	}
}
