// Package layout is the frame of every public page: head with canonical and hreflang links,
// skip link, header with the language switcher, footer.
package layout

import "twintowns/internal/twinning"

// Page is what the frame needs to know about the page inside it.
type Page struct {
	Lang string
	// Languages are the languages the site publishes: the switcher and the alternates.
	Languages   []string
	Title       string
	Description string
	SiteName    string
	// Path is the page's path after the language prefix: "/" or "/cities/koszalin".
	Path string
	// BaseURL is scheme and host of the request, for absolute canonical and hreflang URLs.
	BaseURL string
	// Stylesheet is the fingerprinted URL of the site's CSS.
	Stylesheet string
	// Localized is false for pages that exist outside the language tree (errors): they get
	// no canonical or hreflang links.
	Localized bool
	// DefaultLang is the site's default language, the x-default of pages other than home.
	DefaultLang string
	// Preview is set when staff preview an entry: the URL of its edit form. The page is then
	// not public, and its language switcher stays in the preview.
	Preview string

	// Country is the site's country (ISO 3166-1 alpha-2), for og:locale.
	Country string
	// ShareImage is the absolute URL of the page's 1200×630 share image, ShareImageAlt its
	// text alternative.
	ShareImage, ShareImageAlt string
	// ShareImageType is its media type when it is not PNG (a photo's JPEG).
	ShareImageType string
	// Licence is the licence of the site's open data, stated in the footer.
	Licence twinning.Licence
	// DataLinks links the head to the site's open data (the home page).
	DataLinks bool
	// About is the municipality and MainEntity what the page is mainly about (a City, an
	// ItemList), for the JSON-LD.
	About      *Place
	MainEntity any
}

// Site-relative URLs of a site's open data.
const (
	DataJSON = "/data/partnerships.json"
	DataCSV  = "/data/partnerships.csv"
)

// FeedHref is the site-relative URL of the Atom feed in lang.
func FeedHref(lang string) string { return Href(lang, "/feed.atom") }

// OtherLanguages are the languages of the page's alternates other than its own.
func (p Page) OtherLanguages() []string {
	var out []string
	for _, l := range p.Languages {
		if l != p.Lang {
			out = append(out, l)
		}
	}
	return out
}

// LangHref is the language switcher's link to lang.
func (p Page) LangHref(lang string) string {
	switch {
	case p.Preview != "":
		return p.Preview + "/preview?lang=" + lang
	case p.Localized:
		return p.SwitchHref(lang)
	}
	return Href(lang, "/") + "?switch=1"
}

// URL is the absolute URL of this page in lang.
func (p Page) URL(lang string) string { return p.BaseURL + Href(lang, p.Path) }

// XDefault is the URL for readers whose language the site does not have: the negotiating
// root for the home page, the default language's version for the others.
func (p Page) XDefault() string {
	if p.Path == "/" {
		return p.BaseURL + "/"
	}
	return p.URL(p.DefaultLang)
}

// SwitchHref is the language switcher's link to this page in lang: it records the choice in
// a cookie and redirects to the page's plain URL.
func (p Page) SwitchHref(lang string) string { return Href(lang, p.Path) + "?switch=1" }

// Href is the site-relative URL of path in lang.
func Href(lang, path string) string {
	if path == "/" {
		return "/" + lang + "/"
	}
	return "/" + lang + path
}
