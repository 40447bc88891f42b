package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"twintowns/internal/twinning"
)

// The fields of a city's edit form. Texts have one field per language, named field_LANG;
// links one per row, named link_field_N.
var (
	factFields = []string{"slug", "kind", "country", "population", "population_year", "population_approx",
		"population_millions", "population_area", "agreement_precision", "agreement_date", "agreement_year",
		"agreement_over_years", "status", "status_since", "status_until", "latitude", "longitude", "wikidata_id"}
	textFields = []string{"name", "full_name", "summary", "description", "aims", "association", "translated_from"}
	linkFields = []string{"kind", "lang", "url", "label"}
)

// emptyLinkRows is how many blank link rows the form offers for new links.
const emptyLinkRows = 2

// formValues flattens a city into the values of its edit form.
func formValues(c twinning.City) map[string]string {
	v := map[string]string{
		"slug": c.Slug, "kind": string(c.Kind), "country": c.Country,
		"agreement_precision": string(c.Agreement.Precision), "status": string(c.Status),
		"wikidata_id": c.WikidataID, "version": strconv.Itoa(c.Version),
	}
	if p := c.Population; p != nil {
		v["population"] = strconv.FormatInt(p.Count, 10)
		v["population_year"] = itoa(p.Year)
		v["population_approx"] = checkbox(p.Approx)
		v["population_millions"] = checkbox(p.Millions)
		v["population_area"] = checkbox(p.Area)
	}
	switch a := c.Agreement; a.Precision {
	case twinning.PrecisionDay:
		v["agreement_date"] = a.Date.Format(time.DateOnly)
	case twinning.PrecisionYear:
		v["agreement_year"] = itoa(a.Year)
	case twinning.PrecisionOverYears:
		v["agreement_over_years"] = itoa(a.OverYears)
	}
	v["status_since"] = dateString(c.StatusSince)
	v["status_until"] = dateString(c.StatusUntil)
	if c.Latitude != nil {
		v["latitude"] = strconv.FormatFloat(*c.Latitude, 'f', -1, 64)
	}
	if c.Longitude != nil {
		v["longitude"] = strconv.FormatFloat(*c.Longitude, 'f', -1, 64)
	}
	for lang, t := range c.Texts {
		for f, s := range map[string]string{"name": t.Name, "full_name": t.FullName, "summary": t.Summary,
			"description": t.Description, "aims": t.Aims, "association": t.Association, "translated_from": t.TranslatedFrom} {
			v[f+"_"+lang] = s
		}
	}
	for i, l := range c.Links {
		n := strconv.Itoa(i)
		v["link_kind_"+n], v["link_lang_"+n], v["link_url_"+n], v["link_label_"+n] = string(l.Kind), l.Lang, l.URL, l.Label
	}
	v["links"] = strconv.Itoa(len(c.Links))
	return v
}

// readForm keeps every value the person sent for the city form, as typed.
func readForm(form url.Values) map[string]string {
	v := map[string]string{}
	keep := func(name string) {
		if s := form.Get(name); s != "" {
			v[name] = s
		}
	}
	for _, f := range factFields {
		keep(f)
	}
	keep("version")
	for _, lang := range twinning.Languages {
		for _, f := range textFields {
			keep(f + "_" + lang)
		}
		keep("reviewed_" + lang)
	}
	rows, _ := strconv.Atoi(form.Get("links"))
	rows = min(max(rows, 0), 100)
	n := 0
	for i := range rows + emptyLinkRows {
		src := strconv.Itoa(i)
		if strings.TrimSpace(form.Get("link_url_"+src)) == "" && form.Get("link_label_"+src) == "" {
			continue // an empty row, or a link the person cleared
		}
		dst := strconv.Itoa(n)
		for _, f := range linkFields {
			v["link_"+f+"_"+dst] = form.Get("link_" + f + "_" + src)
		}
		n++
	}
	v["links"] = strconv.Itoa(n)
	return v
}

// parseCity turns form values into a city, with a message for every value it cannot read;
// City.Validate then checks what the values mean.
func parseCity(v map[string]string) (twinning.City, twinning.FieldErrors) {
	e := twinning.FieldErrors{}
	c := twinning.City{
		Slug: strings.TrimSpace(v["slug"]), Kind: twinning.Kind(v["kind"]),
		Country:    strings.ToUpper(strings.TrimSpace(v["country"])),
		Status:     twinning.Status(v["status"]),
		WikidataID: strings.TrimSpace(v["wikidata_id"]),
		Agreement:  twinning.Agreement{Precision: twinning.Precision(v["agreement_precision"])},
		Texts:      map[string]twinning.CityText{},
	}
	if s := strings.TrimSpace(v["population"]); s != "" {
		n, err := strconv.ParseInt(strings.NewReplacer(" ", "", "\u00a0", "", ".", "", ",", "").Replace(s), 10, 64)
		if err != nil {
			e["population"] = "validation.number"
		}
		c.Population = &twinning.Population{Count: n, Approx: v["population_approx"] != "",
			Millions: v["population_millions"] != "", Area: v["population_area"] != ""}
		c.Population.Year = readInt(v, "population_year", e)
	} else if v["population_year"] != "" || v["population_approx"] != "" || v["population_millions"] != "" || v["population_area"] != "" {
		e["population"] = "validation.population_missing"
	}
	switch c.Agreement.Precision {
	case twinning.PrecisionDay:
		if d := readDate(v, "agreement_date", e); d != nil {
			c.Agreement.Date = *d
		} else if _, bad := e["agreement_date"]; !bad {
			e["agreement_date"] = "validation.required"
		}
	case twinning.PrecisionYear:
		if c.Agreement.Year = readInt(v, "agreement_year", e); c.Agreement.Year == 0 && e["agreement_year"] == "" {
			e["agreement_year"] = "validation.required"
		}
	case twinning.PrecisionOverYears:
		if c.Agreement.OverYears = readInt(v, "agreement_over_years", e); c.Agreement.OverYears == 0 && e["agreement_over_years"] == "" {
			e["agreement_over_years"] = "validation.required"
		}
	}
	c.StatusSince = readDate(v, "status_since", e)
	c.StatusUntil = readDate(v, "status_until", e)
	c.Latitude = readFloat(v, "latitude", e)
	c.Longitude = readFloat(v, "longitude", e)
	c.Version, _ = strconv.Atoi(v["version"])
	for _, lang := range twinning.Languages {
		t := twinning.CityText{Lang: lang, Name: strings.TrimSpace(v["name_"+lang]),
			FullName: strings.TrimSpace(v["full_name_"+lang]), Summary: v["summary_"+lang],
			Description: v["description_"+lang], Aims: v["aims_"+lang], Association: v["association_"+lang],
			TranslatedFrom: v["translated_from_"+lang]}
		if t.Name+t.FullName+t.Summary+t.Description+t.Aims+t.Association != "" {
			c.Texts[lang] = t
		}
	}
	n, _ := strconv.Atoi(v["links"])
	for i := range n {
		s := strconv.Itoa(i)
		c.Links = append(c.Links, twinning.Link{Kind: twinning.LinkKind(v["link_kind_"+s]),
			Lang: strings.TrimSpace(v["link_lang_"+s]), URL: strings.TrimSpace(v["link_url_"+s]),
			Label: strings.TrimSpace(v["link_label_"+s])})
	}
	return c, e
}

func readInt(v map[string]string, name string, e twinning.FieldErrors) int {
	s := strings.TrimSpace(v[name])
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		e[name] = "validation.number"
	}
	return n
}

func readFloat(v map[string]string, name string, e twinning.FieldErrors) *float64 {
	s := strings.TrimSpace(strings.ReplaceAll(v[name], ",", "."))
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		e[name] = "validation.number"
		return nil
	}
	return &f
}

func readDate(v map[string]string, name string, e twinning.FieldErrors) *time.Time {
	s := strings.TrimSpace(v[name])
	if s == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		e[name] = "validation.date_format"
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

// formDiff returns, for every field whose value differs between two forms, the value in
// theirs: what the conflict page shows beside the person's own value.
func formDiff(mine, theirs map[string]string) map[string]string {
	d := map[string]string{}
	for k, t := range theirs {
		if k != "version" && k != "links" && mine[k] != t {
			d[k] = t
		}
	}
	for k := range mine {
		if _, ok := theirs[k]; !ok && k != "version" && k != "links" && !strings.HasPrefix(k, "reviewed_") {
			d[k] = ""
		}
	}
	return d
}

// fieldLabel returns the message ID of a form field's label and the language it belongs to.
func fieldLabel(name string) (id, lang string) {
	for _, l := range twinning.Languages {
		if base, ok := strings.CutSuffix(name, "_"+l); ok {
			return "admin.field." + base, l
		}
	}
	if strings.HasPrefix(name, "link_") {
		return "admin.field.links", ""
	}
	return "admin.field." + name, ""
}

// sortedKeys is for stable output of maps in pages.
func sortedKeys(m map[string]string) []string {
	order := map[string]int{}
	i := 0
	for _, f := range factFields {
		order[f] = i
		i++
	}
	for _, l := range twinning.Languages {
		for _, f := range textFields {
			order[f+"_"+l] = i
			i++
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortBy(keys, func(k string) string {
		if n, ok := order[k]; ok {
			return fmt.Sprintf("%05d", n)
		}
		return "99999" + k
	})
	return keys
}
