package components

import (
	"strings"
	"testing"
)

func TestMarkdownSections(t *testing.T) {
	s := MarkdownSections("Wstęp.\n\n## Dasing\n\nTekst.\n\n## Rejon *wileński*\n\nWięcej.\n\n## Dasing\n\n### Szczegóły\n", "history")
	html, toc := s.HTML, s.Headings
	want := []Heading{{"history-dasing", "Dasing"}, {"history-rejon-wilenski", "Rejon wileński"}, {"history-dasing-2", "Dasing"}}
	if len(toc) != len(want) {
		t.Fatalf("toc = %+v", toc)
	}
	for i, h := range want {
		if toc[i] != h {
			t.Errorf("heading %d = %+v, want %+v", i, toc[i], h)
		}
	}
	for _, s := range []string{`<h2 id="history-dasing">Dasing</h2>`, `<h2 id="history-rejon-wilenski">Rejon <em>wileński</em></h2>`,
		`<h3>Szczegóły</h3>`, `<p>Wstęp.</p>`} {
		if !strings.Contains(html, s) {
			t.Errorf("no %s in %s", s, html)
		}
	}
	// raw HTML stays escaped, as in MarkdownHTML
	if s := MarkdownSections("## <script>x</script>\n", "h"); strings.Contains(s.HTML, "<script>") {
		t.Errorf("raw HTML: %s", s.HTML)
	}
}
