package locale

import "golang.org/x/text/language"

// OpenGraphLocale is the og:locale (language_TERRITORY) of a page in lang on the site of a
// municipality in country: the site's country where lang is that country's main language,
// else the territory where lang is mostly spoken. So Finnish on a Finnish site is fi_FI and
// Italian on it it_IT; Swedish on it is sv_SE, the form Open Graph readers know (Facebook's
// locale list has no sv_FI). Both come from CLDR's likely subtags.
func OpenGraphLocale(lang, country string) string {
	tag := language.Make(lang)
	base, _ := tag.Base()
	if r, err := language.ParseRegion(country); err == nil {
		if und, err := language.Compose(r); err == nil {
			if main, _ := und.Base(); main == base {
				return base.String() + "_" + r.String()
			}
		}
	}
	r, _ := tag.Region()
	return base.String() + "_" + r.String()
}
