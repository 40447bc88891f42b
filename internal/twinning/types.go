package twinning

import (
	"strconv"
	"strings"
	"time"
)

// The content types of the product. Each declares its translatable fields and how its facts
// are checked; the lifecycle is the same for all (see Entry).
var (
	CityType = &Type{
		Name: "city",
		Fields: []TextField{
			{Key: "name", Kind: FieldLine, Max: MaxNameLen},
			{Key: "full_name", Kind: FieldLine, Max: MaxNameLen},
			{Key: "summary", Kind: FieldText, Max: MaxTextLen, Rows: 2},
			{Key: "description", Kind: FieldMarkdown, Max: MaxTextLen},
			{Key: "aims", Kind: FieldMarkdown, Max: MaxTextLen},
			{Key: "association", Kind: FieldMarkdown, Max: MaxTextLen},
		},
		Facts: []string{"slug", "kind", "country", "population", "population_year", "population_approx",
			"population_millions", "population_area", "agreement_precision", "agreement_date", "agreement_year",
			"since_year", "agreement_over_years", "status", "status_since", "status_until", "latitude", "longitude", "wikidata_id"},
		Rows: []string{"link_kind", "link_lang", "link_url", "link_label"},
		Check: func(e Entry) FieldErrors {
			c, errs := CityFromEntry(e)
			return errs.Merge(c.Validate())
		},
		Trashable: true,
	}
	SiteType = &Type{
		Name: "site",
		Fields: []TextField{
			{Key: "name", Kind: FieldLine, Max: MaxNameLen},
			{Key: "intro", Kind: FieldMarkdown, Max: 4 * MaxTextLen},
			{Key: "partners_intro", Kind: FieldMarkdown, Max: MaxTextLen, Rows: 2},
			{Key: "history_title", Kind: FieldLine, Max: MaxNameLen},
			{Key: "history", Kind: FieldMarkdown, Max: 4 * MaxTextLen, Rows: 12},
			{Key: "events_title", Kind: FieldLine, Max: MaxNameLen},
			{Key: "events", Kind: FieldMarkdown, Max: 4 * MaxTextLen, Rows: 8},
		},
	}
	DocumentType = &Type{
		Name:      "document",
		Fields:    []TextField{{Key: "title", Kind: FieldLine, Max: 300}},
		Trashable: true,
	}
)

// Entry is the city as an entry of CityType.
func (c City) Entry() Entry {
	e := Entry{Type: CityType, ID: c.ID, SiteID: c.SiteID, Version: c.Version, Facts: c.Facts(),
		Texts: map[string]Text{}, PublishedAt: c.PublishedAt, DeletedAt: c.DeletedAt, HasDraft: c.HasDraft,
		UpdatedAt: c.UpdatedAt}
	for lang, t := range c.Texts {
		e.Texts[lang] = Text{Lang: lang, TranslatedFrom: t.TranslatedFrom, Reviewed: t.Reviewed,
			Fields: map[string]string{"name": t.Name, "full_name": t.FullName, "summary": t.Summary,
				"description": t.Description, "aims": t.Aims, "association": t.Association}}
	}
	return e
}

// Facts are the city's language-neutral fields as canonical strings: what its form shows and
// what CityFromEntry reads back.
func (c City) Facts() map[FieldKey]string {
	v := map[FieldKey]string{
		Fact("slug"): c.Slug, Fact("kind"): string(c.Kind), Fact("country"): c.Country,
		Fact("agreement_precision"): string(c.Agreement.Precision), Fact("status"): string(c.Status),
		Fact("wikidata_id"): c.WikidataID,
	}
	if p := c.Population; p != nil {
		v[Fact("population")] = strconv.FormatInt(p.Count, 10)
		v[Fact("population_year")] = itoa(p.Year)
		v[Fact("population_approx")] = checkbox(p.Approx)
		v[Fact("population_millions")] = checkbox(p.Millions)
		v[Fact("population_area")] = checkbox(p.Area)
	}
	switch a := c.Agreement; a.Precision {
	case PrecisionDay:
		v[Fact("agreement_date")] = a.Date.Format(time.DateOnly)
	case PrecisionYear:
		v[Fact("agreement_year")] = itoa(a.Year)
	case PrecisionSince:
		v[Fact("since_year")] = itoa(a.Year)
	case PrecisionOverYears:
		v[Fact("agreement_over_years")] = itoa(a.OverYears)
	}
	v[Fact("status_since")] = dateString(c.StatusSince)
	v[Fact("status_until")] = dateString(c.StatusUntil)
	if c.Latitude != nil {
		v[Fact("latitude")] = strconv.FormatFloat(*c.Latitude, 'f', -1, 64)
	}
	if c.Longitude != nil {
		v[Fact("longitude")] = strconv.FormatFloat(*c.Longitude, 'f', -1, 64)
	}
	for i, l := range c.Links {
		v[RowKey("link_kind", i)], v[RowKey("link_lang", i)] = string(l.Kind), l.Lang
		v[RowKey("link_url", i)], v[RowKey("link_label", i)] = l.URL, l.Label
	}
	for k, s := range v {
		if s == "" {
			delete(v, k)
		}
	}
	return v
}

// CityFromEntry reads an entry of CityType into a city, with a message for every value it
// cannot read; City.Validate then checks what the values mean.
func CityFromEntry(en Entry) (City, FieldErrors) {
	e := FieldErrors{}
	v := func(k string) string { return strings.TrimSpace(en.Facts[Fact(k)]) }
	c := City{
		ID: en.ID, SiteID: en.SiteID, Version: en.Version, PublishedAt: en.PublishedAt, DeletedAt: en.DeletedAt,
		HasDraft: en.HasDraft, UpdatedAt: en.UpdatedAt,
		Slug: v("slug"), Kind: Kind(v("kind")), Country: strings.ToUpper(v("country")),
		Status: Status(v("status")), WikidataID: v("wikidata_id"),
		Agreement: Agreement{Precision: Precision(v("agreement_precision"))},
		Texts:     map[string]CityText{},
	}
	if s := v("population"); s != "" {
		n, err := strconv.ParseInt(strings.NewReplacer(" ", "", "\u00a0", "", ".", "", ",", "").Replace(s), 10, 64)
		if err != nil {
			e[Fact("population")] = "validation.number"
		}
		c.Population = &Population{Count: n, Approx: v("population_approx") != "",
			Millions: v("population_millions") != "", Area: v("population_area") != ""}
		c.Population.Year = readInt(v, "population_year", e)
	} else if v("population_year") != "" || v("population_approx") != "" || v("population_millions") != "" || v("population_area") != "" {
		e[Fact("population")] = "validation.population_missing"
	}
	switch c.Agreement.Precision {
	case PrecisionDay:
		if d := readDate(v, "agreement_date", e); d != nil {
			c.Agreement.Date = *d
		} else if _, bad := e[Fact("agreement_date")]; !bad {
			e[Fact("agreement_date")] = "validation.required"
		}
	case PrecisionYear:
		if c.Agreement.Year = readInt(v, "agreement_year", e); c.Agreement.Year == 0 && e[Fact("agreement_year")] == "" {
			e[Fact("agreement_year")] = "validation.required"
		}
	case PrecisionSince:
		if c.Agreement.Year = readInt(v, "since_year", e); c.Agreement.Year == 0 && e[Fact("since_year")] == "" {
			e[Fact("since_year")] = "validation.required"
		}
	case PrecisionOverYears:
		if c.Agreement.OverYears = readInt(v, "agreement_over_years", e); c.Agreement.OverYears == 0 && e[Fact("agreement_over_years")] == "" {
			e[Fact("agreement_over_years")] = "validation.required"
		}
	}
	c.StatusSince = readDate(v, "status_since", e)
	c.StatusUntil = readDate(v, "status_until", e)
	c.Latitude = readFloat(v, "latitude", e)
	c.Longitude = readFloat(v, "longitude", e)
	for lang, t := range en.Texts {
		f := t.Fields
		c.Texts[lang] = CityText{Lang: lang, Name: strings.TrimSpace(f["name"]), FullName: strings.TrimSpace(f["full_name"]),
			Summary: f["summary"], Description: f["description"], Aims: f["aims"], Association: f["association"],
			TranslatedFrom: t.TranslatedFrom, Reviewed: t.Reviewed}
	}
	for i := 0; ; i++ {
		row := func(f string) string { return strings.TrimSpace(en.Facts[RowKey(f, i)]) }
		if row("link_url") == "" && row("link_label") == "" && row("link_kind") == "" && row("link_lang") == "" {
			break
		}
		c.Links = append(c.Links, Link{Kind: LinkKind(row("link_kind")), Lang: row("link_lang"),
			URL: row("link_url"), Label: row("link_label")})
	}
	return c, e
}

// Entry is the site's own texts as an entry of SiteType; its ID is the site's.
func (s Site) Entry() Entry {
	e := Entry{Type: SiteType, ID: s.ID, SiteID: s.ID, Version: s.Version, Texts: map[string]Text{},
		HasDraft: s.HasDraft, PublishedAt: &time.Time{}}
	for lang, t := range s.Texts {
		e.Texts[lang] = Text{Lang: lang, TranslatedFrom: t.TranslatedFrom, Reviewed: t.Reviewed,
			Fields: map[string]string{"name": t.Name, "intro": t.Intro, "partners_intro": t.PartnersIntro,
				"history_title": t.HistoryTitle, "history": t.History, "events_title": t.EventsTitle, "events": t.Events}}
	}
	return e
}

// WithTexts returns the site with the texts of an entry of SiteType.
func (s Site) WithTexts(e Entry) Site {
	s.Texts = map[string]SiteText{}
	for lang, t := range e.Texts {
		f := t.Fields
		s.Texts[lang] = SiteText{Lang: lang, Name: strings.TrimSpace(f["name"]), Intro: f["intro"],
			PartnersIntro: f["partners_intro"], HistoryTitle: strings.TrimSpace(f["history_title"]),
			History: f["history"], EventsTitle: strings.TrimSpace(f["events_title"]), Events: f["events"],
			TranslatedFrom: t.TranslatedFrom, Reviewed: t.Reviewed}
	}
	s.HasDraft = e.HasDraft
	return s
}

// Entry is the document's titles as an entry of DocumentType.
func (a Attachment) Entry(siteID int64) Entry {
	e := Entry{Type: DocumentType, ID: a.ID, SiteID: siteID, Texts: map[string]Text{},
		PublishedAt: &time.Time{}, DeletedAt: a.DeletedAt}
	for lang, title := range a.Titles {
		e.Texts[lang] = Text{Lang: lang, Fields: map[string]string{"title": title},
			TranslatedFrom: a.TranslatedFrom[lang], Reviewed: map[string]string{"title": a.Reviewed[lang]}}
	}
	return e
}

// WithTitles returns the document with the titles of an entry of DocumentType.
func (a Attachment) WithTitles(e Entry) Attachment {
	a.Titles, a.TranslatedFrom, a.Reviewed = map[string]string{}, map[string]string{}, map[string]string{}
	for lang, t := range e.Texts {
		a.Titles[lang] = strings.TrimSpace(t.Fields["title"])
		if t.TranslatedFrom != "" {
			a.TranslatedFrom[lang] = t.TranslatedFrom
		}
		if h := t.Reviewed["title"]; h != "" {
			a.Reviewed[lang] = h
		}
	}
	return a
}

func readInt(v func(string) string, name string, e FieldErrors) int {
	s := v(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		e[Fact(name)] = "validation.number"
	}
	return n
}

func readFloat(v func(string) string, name string, e FieldErrors) *float64 {
	s := strings.ReplaceAll(v(name), ",", ".")
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !finite(f) {
		e[Fact(name)] = "validation.number"
		return nil
	}
	return &f
}

func readDate(v func(string) string, name string, e FieldErrors) *time.Time {
	s := v(name)
	if s == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		e[Fact(name)] = "validation.date_format"
		return nil
	}
	return &d
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func checkbox(b bool) string {
	if b {
		return "on"
	}
	return ""
}

func dateString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}
