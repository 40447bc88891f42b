package web

import (
	"net/http"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/layout"
)

// pageFrame returns the layout data of a page at path (after the language prefix) and the
// site's content.
func (s *Server) pageFrame(r *http.Request, path string) (layout.Page, twinning.Content, error) {
	site, err := s.siteFor(r)
	if err != nil {
		return layout.Page{}, twinning.Content{}, err
	}
	c, err := s.content(r.Context(), site)
	if err != nil {
		return layout.Page{}, c, err
	}
	site = c.Site // with its texts
	tr := locale.From(r.Context())
	st, _ := site.Text(tr.Lang)
	p := layout.Page{
		Lang: tr.Lang, Languages: site.Languages, SiteName: st.Name, Path: path, BaseURL: s.baseURL(r),
		Stylesheet: s.assets.url("css/site.css"), Localized: true, DefaultLang: site.DefaultLang,
	}
	withSiteMeta(&p, site, tr)
	return p, c, nil
}
