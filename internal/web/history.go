package web

import (
	"net/http"

	"github.com/a-h/templ"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/components"
	"twintowns/templates/pages"
)

// historyPage shows a site's history of its partnerships and the major joint events.
func (s *Server) historyPage(r *http.Request) (templ.Component, error) {
	p, c, err := s.pageFrame(r, "/history")
	if err != nil {
		return nil, err
	}
	if !c.Site.HasHistory() {
		return nil, twinning.Errorf(twinning.ENOTFOUND, "site %s has no history", c.Site.Slug)
	}
	tr := locale.From(r.Context())
	st, ok := c.Site.Text(tr.Lang)
	if st.History == "" && st.Events == "" {
		// This language's text exists but without the history: show the source's.
		st, ok = c.Site.Texts[c.Site.SourceLang], false
	}
	p.Title = st.HistoryTitle + " – " + p.SiteName
	p.Description = components.Summary(st.History, 160)
	return pages.HistoryPage(p, st, ok), nil
}
