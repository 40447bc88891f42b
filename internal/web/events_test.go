package web_test

import (
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"twintowns/internal/twinning"
)

// A published joint event shows wherever the declaration says: its own page and the list by
// date, the page of every partner city it names (with <time datetime>), the home page's
// timeline, the sitemap, the feed, the JSON-LD as a schema.org Event with its location and
// organizers, and the open data; a draft shows nowhere.
func TestJointEventsArePublic(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	sd := siteID(t, e, "seinajoki")
	koszalin, sopron := cityID(t, e, "seinajoki", "koszalin"), cityID(t, e, "seinajoki", "sopron")
	event := func(slug, date, title string, cities []int64, heldIn int64) twinning.Entry {
		ev := twinning.Entry{Type: twinning.EventType, Facts: map[twinning.FieldKey]string{
			twinning.Fact("slug"): slug, twinning.Fact("date"): date},
			Texts: map[string]twinning.Text{
				"pl": {Lang: "pl", Fields: map[string]string{"title": title, "text": "Opis: " + title + "."}},
				"fi": {Lang: "fi", TranslatedFrom: "pl", Fields: map[string]string{"title": title + " (fi)"}},
			}}
		var ids []string
		for _, id := range cities {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		ev.Facts[twinning.Fact("cities")] = strings.Join(ids, " ")
		if heldIn != 0 {
			ev.Facts[twinning.Fact("held_in")] = strconv.FormatInt(heldIn, 10)
		}
		return ev
	}
	for _, x := range []struct {
		e       twinning.Entry
		publish bool
	}{
		{event("rewizyta-choru", "1998", "Rewizyta chóru w Pescantinie", []int64{koszalin}, koszalin), true},
		{event("wizyta-szkolna", "1999/2000", "Wizyta uczniów z Pescantiny", []int64{koszalin}, 0), true},
		{event("dni-siedlec", "2003-06", "Dni Siedlec", []int64{koszalin, sopron}, 0), true},
		{event("szkic", "2004", "Szkic", []int64{koszalin}, 0), false},
	} {
		if _, err := e.db.CreateEntry(ctx, sd, x.e, x.publish, twinning.Actor{}); err != nil {
			t.Fatal(err)
		}
	}

	city := e.get(t, seinajoki, "/pl/cities/koszalin").body
	i, j, k := strings.Index(city, `<time datetime="1998">1998</time>`), strings.Index(city, `<time datetime="1999">rok szkolny 1999/2000</time>`),
		strings.Index(city, `<time datetime="2003-06">czerwiec 2003</time>`)
	if i < 0 || j < i || k < j || !strings.Contains(city, `href="/pl/events/rewizyta-choru"`) || strings.Contains(city, "Szkic") {
		t.Errorf("Koszalin's events by date:\n%s", city)
	}
	if d := e.get(t, seinajoki, "/pl/cities/sopron").body; !strings.Contains(d, "Dni Siedlec") || strings.Contains(d, "Rewizyta") {
		t.Error("Sopron lists the events of others, or not its own")
	}
	home := e.get(t, seinajoki, "/pl/").body
	if !strings.Contains(home, `href="/pl/events/wizyta-szkolna"`) || !strings.Contains(home, `href="/pl/events"`) {
		t.Error("the home timeline lacks the events")
	}
	if fi := e.get(t, seinajoki, "/fi/events/wizyta-szkolna").body; !strings.Contains(fi, "Wizyta uczniów z Pescantiny (fi)") ||
		!strings.Contains(fi, "lukuvuosi 1999/2000") || !strings.Contains(fi, `lang="pl"`) {
		t.Errorf("the Finnish page: a title, the school year, the Polish text marked:\n%s", fi)
	}
	if list := e.get(t, seinajoki, "/it/events").body; strings.Index(list, "rewizyta-choru") > strings.Index(list, "dni-siedlec") {
		t.Error("the list is not by date")
	}
	if res := e.get(t, seinajoki, "/pl/events/szkic"); res.StatusCode != 404 {
		t.Errorf("a draft's page: %d", res.StatusCode)
	}
	for _, path := range []string{"/sitemap.xml", "/pl/feed.atom"} {
		if body := e.get(t, seinajoki, path).body; !strings.Contains(body, "/pl/events/dni-siedlec") || strings.Contains(body, "szkic") {
			t.Errorf("%s lacks the event or shows the draft", path)
		}
	}

	page := e.get(t, seinajoki, "/pl/events/rewizyta-choru").body
	var ld struct {
		MainEntity struct {
			Type      string `json:"@type"`
			Name      string `json:"name"`
			StartDate string `json:"startDate"`
			Location  struct {
				Type string `json:"@type"`
				Name string `json:"name"`
			} `json:"location"`
			Organizer []struct {
				Type string `json:"@type"`
				Name string `json:"name"`
			} `json:"organizer"`
		} `json:"mainEntity"`
	}
	m := jsonLDRE.FindStringSubmatch(page)
	if m == nil || json.Unmarshal([]byte(m[1]), &ld) != nil {
		t.Fatalf("no JSON-LD:\n%s", page)
	}
	ev := ld.MainEntity
	if ev.Type != "Event" || ev.StartDate != "1998" || ev.Location.Name != "Koszalin" || len(ev.Organizer) != 2 ||
		ev.Organizer[0].Name != "Seinäjoki" || ev.Organizer[1].Name != "Koszalin" || ev.Organizer[1].Type != "GovernmentOrganization" {
		t.Errorf("Event %+v", ev)
	}
	if m := jsonLDRE.FindStringSubmatch(e.get(t, seinajoki, "/pl/events/wizyta-szkolna").body); !strings.Contains(m[1], `"location":{"@type":"City","name":"Seinäjoki"`) ||
		!strings.Contains(m[1], `"endDate":"2000"`) {
		t.Errorf("an event at home is located at home, a school year ends the next year: %s", m[1])
	}

	var data struct {
		Type    string           `json:"type"`
		Entries []map[string]any `json:"entries"`
	}
	if err := json.Unmarshal([]byte(e.get(t, seinajoki, "/data/events.json").body), &data); err != nil || data.Type != "event" || len(data.Entries) != 3 {
		t.Fatalf("events.json: %v %+v", err, data)
	}
	first := data.Entries[0]
	if first["slug"] != "rewizyta-choru" || first["held_in"] != "koszalin" || first["cities"].([]any)[0] != "koszalin" ||
		first["date"].(map[string]any)["precision"] != "year" || first["title"].(map[string]any)["pl"] != "Rewizyta chóru w Pescantinie" {
		t.Errorf("first event %v", first)
	}
	rows, err := csv.NewReader(strings.NewReader(e.get(t, seinajoki, "/data/events.csv").body)).ReadAll()
	if err != nil || len(rows) != 4 || rows[0][0] != "slug" || rows[3][2] != "2003-06" || rows[3][3] != "koszalin sopron" {
		t.Errorf("events.csv %v %v", rows, err)
	}
}

// A revision of an event shows the cities it referred to by name, not by id.
func TestEventRevisionNamesCities(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "admin@example.org", "", true)
	s.login("admin@example.org")
	base := "/admin/sites/seinajoki/events"
	form := formOf(t, s.get(base+"/new").body)
	form.Set("slug", "vierailu")
	form.Set("date", "2001")
	form.Add("cities", strconv.FormatInt(cityID(t, e, "seinajoki", "koszalin"), 10))
	form.Add("cities", strconv.FormatInt(cityID(t, e, "seinajoki", "sopron"), 10))
	form.Set("title_fi", "Vierailu")
	form.Set("action", "publish")
	res := s.post(base+"/new", form)
	if res.StatusCode != 303 {
		t.Fatalf("create: %d\n%s", res.StatusCode, res.body)
	}
	history := s.get(res.Header.Get("Location") + "/history").body
	m := regexp.MustCompile(`href="(/admin/sites/seinajoki/events/\d+/history/\d+)"`).FindStringSubmatch(history)
	if m == nil {
		t.Fatalf("no revision:\n%s", history)
	}
	if rev := s.get(m[1]).body; !strings.Contains(rev, "Koszalin, Sopron") {
		t.Errorf("the revision does not name the cities:\n%s", rev)
	}
}
