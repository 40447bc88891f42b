package twinning

import (
	"strings"
	"time"
)

// The content types of the product, each declared once and registered in Types.
var (
	CityType = &Type{
		Name: "city",
		Fields: []TextField{
			{Key: "name", Kind: FieldLine, Max: MaxNameLen, Names: true},
			{Key: "full_name", Kind: FieldLine, Max: MaxNameLen},
			{Key: "summary", Kind: FieldText, Max: MaxTextLen, Rows: 2},
			{Key: "description", Kind: FieldMarkdown, Max: MaxTextLen},
			{Key: "aims", Kind: FieldMarkdown, Max: MaxTextLen},
			{Key: "association", Kind: FieldMarkdown, Max: MaxTextLen},
		},
		Facts: []FactField{
			{Key: "slug", Kind: FactSlug, Required: true, Hint: "admin.hint.slug", Group: "facts"},
			{Key: "kind", Kind: FactChoice, Required: true, Default: string(KindPartner), Choices: []string{string(KindTwin), string(KindPartner)}, Labels: "city.kind.", Group: "facts"},
			{Key: "country", Kind: FactText, Required: true, Upper: true, Options: OptionsCountries, Pattern: countryRE, Invalid: "validation.country", Group: "facts"},
			{Key: "status", Kind: FactChoice, Required: true, Default: string(StatusUnknown), Choices: statusChoices(), Labels: "city.status.", Hint: "admin.hint.status", Group: "facts"},
			{Key: "status_since", Kind: FactDate, Hint: "admin.hint.date", Group: "facts"},
			{Key: "status_until", Kind: FactDate, Hint: "admin.hint.date", Group: "facts"},
			{Key: "population", Kind: FactNumber, Min: 1, Max: 100_000_000, Invalid: "validation.population", Hint: "admin.hint.population", Group: "population"},
			{Key: "population_year", Kind: FactNumber, Year: true, Invalid: "validation.year", Group: "population"},
			{Key: "population_approx", Kind: FactBoolean, Group: "population"},
			{Key: "population_millions", Kind: FactBoolean, Group: "population"},
			{Key: "population_area", Kind: FactBoolean, Group: "population"},
			{Key: "agreement_precision", Kind: FactChoice, Required: true, Default: string(PrecisionUnknown), Labels: "admin.precision.", Group: "agreement",
				Choices: []string{string(PrecisionDay), string(PrecisionYear), string(PrecisionSince), string(PrecisionOverYears), string(PrecisionUnknown)}},
			{Key: "agreement_date", Kind: FactDate, Required: true, When: &Condition{"agreement_precision", []string{string(PrecisionDay)}}, Hint: "admin.hint.date", Group: "agreement"},
			{Key: "agreement_year", Kind: FactNumber, Required: true, Year: true, Invalid: "validation.year", When: &Condition{"agreement_precision", []string{string(PrecisionYear)}}, Group: "agreement"},
			{Key: "since_year", Kind: FactNumber, Required: true, Year: true, Invalid: "validation.year", When: &Condition{"agreement_precision", []string{string(PrecisionSince)}}, Group: "agreement"},
			{Key: "agreement_over_years", Kind: FactNumber, Required: true, Min: 1, Max: 1000, Invalid: "validation.over_years", When: &Condition{"agreement_precision", []string{string(PrecisionOverYears)}}, Group: "agreement"},
			{Key: "coordinates", Kind: FactCoordinates, Was: []string{"latitude", "longitude"}, Group: "place"},
			{Key: "wikidata_id", Kind: FactText, Pattern: wikidataRE, Invalid: "validation.wikidata", Hint: "admin.hint.wikidata", Group: "place"},
		},
		Lists: []List{{Key: "links", Facts: []FactField{
			{Key: "link_kind", Kind: FactChoice, Required: true, Labels: "admin.link_kind.",
				Choices: []string{string(LinkWikipedia), string(LinkOfficial), string(LinkAssociation), string(LinkOther)}},
			{Key: "link_lang", Kind: FactText, MaxLen: 3, Pattern: langCodeRE, Invalid: "validation.language"},
			{Key: "link_url", Kind: FactURL, Required: true, MaxLen: 2000},
			{Key: "link_label", Kind: FactText},
		}}},
		Check:     checkCity,
		Trashable: true,
		Store:     "cities",
		Staff: Staff{Path: "cities", List: true, Create: true, Columns: []string{"kind", "status"},
			Filters: []string{"kind", "status"}},
		Public: Public{Path: "cities", Own: true},
	}
	SiteType = &Type{
		Name: "site",
		Fields: []TextField{
			{Key: "name", Kind: FieldLine, Max: MaxNameLen, Names: true},
			{Key: "intro", Kind: FieldMarkdown, Max: 4 * MaxTextLen},
			{Key: "partners_intro", Kind: FieldMarkdown, Max: MaxTextLen, Rows: 2},
			{Key: "history_title", Kind: FieldLine, Max: MaxNameLen},
			{Key: "history", Kind: FieldMarkdown, Max: 4 * MaxTextLen, Rows: 12},
			{Key: "events_title", Kind: FieldLine, Max: MaxNameLen},
			{Key: "events", Kind: FieldMarkdown, Max: 4 * MaxTextLen, Rows: 8},
		},
		Single: true,
		Store:  "site_texts",
		Staff:  Staff{Path: "texts", List: true},
	}
	DocumentType = &Type{
		Name:      "document",
		Fields:    []TextField{{Key: "title", Kind: FieldLine, Max: 300, Names: true}},
		Trashable: true,
		Parent:    CityType,
		Store:     "documents",
		Staff:     Staff{Path: "documents", List: true},
	}
)

// checkCity checks what a city's facts say together.
func checkCity(e Entry) FieldErrors {
	errs := FieldErrors{}
	if _, ok := e.Value("population"); !ok && (e.Facts[Fact("population_year")] != "" || e.Bool("population_approx") ||
		e.Bool("population_millions") || e.Bool("population_area")) {
		errs[Fact("population")] = "validation.population_missing"
	}
	since, ok1 := e.Date("status_since")
	until, ok2 := e.Date("status_until")
	if ok1 && ok2 && until.Compare(since) < 0 {
		errs[Fact("status_until")] = "validation.date_order"
	}
	return errs
}

func statusChoices() []string {
	out := make([]string, len(Statuses))
	for i, s := range Statuses {
		out[i] = string(s)
	}
	return out
}

// Entry is the city as an entry of CityType.
func (c City) Entry() Entry {
	e := Entry{Type: CityType, ID: c.ID, SiteID: c.SiteID, Version: c.Version, Facts: map[FieldKey]string{},
		Texts: map[string]Text{}, PublishedAt: c.PublishedAt, DeletedAt: c.DeletedAt, HasDraft: c.HasDraft,
		UpdatedAt: c.UpdatedAt}
	set := func(k, s string) { e.SetFact(k, Value{Text: s}) }
	set("slug", c.Slug)
	set("kind", string(c.Kind))
	set("country", c.Country)
	set("status", string(c.Status))
	set("wikidata_id", c.WikidataID)
	set("agreement_precision", string(c.Agreement.Precision))
	if p := c.Population; p != nil {
		e.SetFact("population", Value{Number: float64(p.Count)})
		e.SetFact("population_year", Value{Number: float64(p.Year)})
		e.SetFact("population_approx", Value{Bool: p.Approx})
		e.SetFact("population_millions", Value{Bool: p.Millions})
		e.SetFact("population_area", Value{Bool: p.Area})
	}
	switch a := c.Agreement; a.Precision {
	case PrecisionDay:
		e.SetFact("agreement_date", Value{Date: dayOf(a.Date)})
	case PrecisionYear:
		e.SetFact("agreement_year", Value{Number: float64(a.Year)})
	case PrecisionSince:
		e.SetFact("since_year", Value{Number: float64(a.Year)})
	case PrecisionOverYears:
		e.SetFact("agreement_over_years", Value{Number: float64(a.OverYears)})
	}
	if c.StatusSince != nil {
		e.SetFact("status_since", Value{Date: dayOf(*c.StatusSince)})
	}
	if c.StatusUntil != nil {
		e.SetFact("status_until", Value{Date: dayOf(*c.StatusUntil)})
	}
	e.SetFact("coordinates", Value{Place: c.Place()})
	for _, l := range c.Links {
		e.AddRow("links", map[string]Value{"link_kind": {Text: string(l.Kind)}, "link_lang": {Text: l.Lang},
			"link_url": {Text: l.URL}, "link_label": {Text: l.Label}})
	}
	for lang, t := range c.Texts {
		e.Texts[lang] = Text{Lang: lang, TranslatedFrom: t.TranslatedFrom, Reviewed: t.Reviewed,
			Fields: map[string]string{"name": t.Name, "full_name": t.FullName, "summary": t.Summary,
				"description": t.Description, "aims": t.Aims, "association": t.Association}}
	}
	return e
}

// CityOf is the city an entry of CityType describes, its facts read by their kinds (an
// entry's facts are checked by CheckFacts before they are stored).
func CityOf(en Entry) City {
	c := City{
		ID: en.ID, SiteID: en.SiteID, Version: en.Version, PublishedAt: en.PublishedAt, DeletedAt: en.DeletedAt,
		HasDraft: en.HasDraft, UpdatedAt: en.UpdatedAt,
		Slug: en.Text("slug"), Kind: Kind(en.Text("kind")), Country: en.Text("country"),
		Status: Status(en.Text("status")), WikidataID: en.Text("wikidata_id"),
		Agreement: Agreement{Precision: Precision(en.Text("agreement_precision")), Year: int(en.Int("agreement_year")),
			OverYears: int(en.Int("agreement_over_years"))},
		Texts: map[string]CityText{},
	}
	if d, ok := en.Date("agreement_date"); ok {
		c.Agreement.Date, c.Agreement.Year = d.Time(), d.Year
	}
	if c.Agreement.Precision == PrecisionSince {
		c.Agreement.Year = int(en.Int("since_year"))
	}
	if n := en.Int("population"); n > 0 {
		c.Population = &Population{Count: n, Year: int(en.Int("population_year")), Approx: en.Bool("population_approx"),
			Millions: en.Bool("population_millions"), Area: en.Bool("population_area")}
	}
	if d, ok := en.Date("status_since"); ok {
		t := d.Time()
		c.StatusSince = &t
	}
	if d, ok := en.Date("status_until"); ok {
		t := d.Time()
		c.StatusUntil = &t
	}
	if v, ok := en.Value("coordinates"); ok {
		c.Latitude, c.Longitude, c.GeoNamesID = v.Place.Latitude, v.Place.Longitude, v.Place.GeoNamesID
	}
	for _, row := range en.Rows("links") {
		c.Links = append(c.Links, Link{Kind: LinkKind(row["link_kind"].Text), Lang: row["link_lang"].Text,
			URL: row["link_url"].Text, Label: row["link_label"].Text})
	}
	for lang, t := range en.Texts {
		f := t.Fields
		c.Texts[lang] = CityText{Lang: lang, Name: strings.TrimSpace(f["name"]), FullName: strings.TrimSpace(f["full_name"]),
			Summary: f["summary"], Description: f["description"], Aims: f["aims"], Association: f["association"],
			TranslatedFrom: t.TranslatedFrom, Reviewed: t.Reviewed}
	}
	return c
}

// dayOf is a time as a date known to the day.
func dayOf(t time.Time) PartialDate {
	return PartialDate{Precision: DateDay, Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
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
