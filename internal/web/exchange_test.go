package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"twintowns/internal/exchange"
	"twintowns/internal/locale"
)

// upload posts a file as the "file" part of a multipart form, with form fields as name,
// value. It may run in parallel: a failed request is an error, not a stop.
func (s *staff) upload(path, name string, content []byte, fields ...string) response {
	s.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, _ := w.CreateFormFile("file", name)
	part.Write(content)
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteField(fields[i], fields[i+1])
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, s.base+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Accept-Language", s.lang)
	res, err := s.c.Do(req)
	if err != nil {
		s.t.Error(err)
		return response{Response: &http.Response{}}
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{res, string(body)}
}

// export posts the overview's export form and returns the file.
func (s *staff) export(site string, form url.Values) response {
	s.t.Helper()
	res := s.post("/admin/sites/"+site+"/translations/export", form)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("export %v: %d\n%.2000s", form, res.StatusCode, res.body)
	}
	return res
}

// exportForm is the export form's values: from, to, scope, format, then entries.
func exportForm(from, to, scope, format string, entries ...string) url.Values {
	return url.Values{"from": {from}, "to": {to}, "scope": {scope}, "format": {format}, "entry": entries}
}

// agency returns an exported XLIFF file as an agency would, with the targets of the units
// in targets changed (read and written again as a CAT tool does: the rest kept as it was).
func agency(t *testing.T, xlf string, targets map[string]string) []byte {
	t.Helper()
	f, err := exchange.ReadXLIFF(strings.NewReader(xlf), 1<<24)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range f.Units {
		if v, ok := targets[u.ID]; ok {
			f.Units[i].Target, f.Units[i].HasTarget, f.Units[i].State = v, true, exchange.StateTranslated
			delete(targets, u.ID)
		}
	}
	for id := range targets {
		t.Fatalf("no unit %s in the file", id)
	}
	var b bytes.Buffer
	if err := exchange.WriteXLIFF(&b, f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// preview is an import's preview page: its upload token and the units it ticks.
type preview struct {
	response
	token  string
	ticked []string
}

// importFile uploads a file and reads its preview.
func (s *staff) importFile(site, name string, data []byte) preview {
	s.t.Helper()
	return readPreview(s.upload("/admin/sites/"+site+"/translations/import", name, data))
}

func readPreview(res response) preview {
	p := preview{response: res}
	if m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(res.body); m != nil {
		p.token = m[1]
	}
	for _, m := range regexp.MustCompile(`name="accept" value="([^"]+)" checked`).FindAllStringSubmatch(res.body, -1) {
		p.ticked = append(p.ticked, m[1])
	}
	return p
}

// confirm confirms an import with the accepted units and the action (draft, publish).
func (s *staff) confirm(site, token, action string, accept ...string) preview {
	s.t.Helper()
	return readPreview(s.post("/admin/sites/"+site+"/translations/import/confirm",
		url.Values{"token": {token}, "action": {action}, "accept": accept}))
}

// unitOf is the id of field of the city with slug in site.
func unitOf(t *testing.T, e *env, site, slug, field string) string {
	t.Helper()
	return "city/" + strconv.FormatInt(cityID(t, e, site, slug), 10) + "/" + field
}

// The round trip an agency makes: export XLIFF for Italian, fill a target as a CAT tool
// would, import, see the change as a diff, publish it; the text is on the public page.
func TestExchangeRoundTrip(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	s.lang = "pl"
	s.login("jan@siedlce.pl")
	overview := s.get("/admin/sites/siedlce/translations")
	if overview.StatusCode != 200 || !strings.Contains(overview.body, "/admin/sites/siedlce/translations/export") {
		t.Fatalf("overview: %d", overview.StatusCode)
	}
	res := s.export("siedlce", exportForm("pl", "it", "all", "xliff"))
	if !strings.Contains(res.Header.Get("Content-Disposition"), `filename="siedlce_pl-it_all_`) {
		t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	f, err := exchange.ReadXLIFF(strings.NewReader(res.body), 1<<20)
	if err != nil || f.SourceLang != "pl" || f.TargetLang != "it" || f.Original != "twintowns:siedlce" || len(f.Units) < 20 {
		t.Fatalf("exported file: %v %+v", err, f)
	}
	if !strings.Contains(res.body, `"urn:oasis:names:tc:xliff:document:1.2"`) || !strings.Contains(res.body, "<note") {
		t.Error("not XLIFF 1.2 with notes")
	}
	unit := regexp.MustCompile(`(?s)(<trans-unit id="city/\d+/aims"[^>]*>.*?</source>)\s*<target[^>]*>.*?</target>`).FindStringSubmatch(res.body)
	if unit == nil {
		t.Fatalf("no aims unit with a target:\n%.2000s", res.body)
	}
	// as memoQ writes it: another namespace, a state, the target on its own lines
	filled := strings.Replace(res.body, unit[0], unit[1]+"\n<target state=\"translated\" mq:status=\"ManuallyConfirmed\">\n  Nuovo scopo dell'accordo, tradotto dall'agenzia.\n</target>", 1)
	filled = strings.Replace(filled, "<xliff ", `<xliff xmlns:mq="MQXliff" `, 1)
	preview := s.importFile("siedlce", "siedlce_pl-it.xlf", []byte(filled))
	if preview.StatusCode != 200 || !strings.Contains(preview.body, "<ins>") || !strings.Contains(preview.body, "tradotto dall&#39;agenzia") {
		t.Fatalf("preview: %d\n%s", preview.StatusCode, preview.body)
	}
	// the target on lines of its own starts with spaces the source has not: a warning to accept
	units := regexp.MustCompile(`name="accept" value="([^"]+)"`).FindAllStringSubmatch(preview.body, -1)
	if len(units) != 1 || len(preview.ticked) != 0 || strings.Contains(preview.body, `name="data"`) ||
		!strings.Contains(preview.body, s.translator().T("admin.qa.spaces")) {
		t.Fatalf("units %v, ticked %v\n%s", units, preview.ticked, preview.body)
	}
	if res := s.confirm("siedlce", preview.token, "publish", units[0][1]); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", res.StatusCode, res.body)
	}
	found := false
	for _, slug := range []string{"dasing", "pescantina", "wilno", "wolkowysk", "sabinov", "berdyczow", "kirov"} {
		found = found || strings.Contains(e.get(t, siedlce, "/it/cities/"+slug).body, "tradotto dall&#39;agenzia")
	}
	if !found {
		t.Error("the imported translation is not on the public page")
	}
	var audited int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'publish' AND user_email = 'jan@siedlce.pl'`).Scan(&audited)
	if audited != 1 {
		t.Errorf("%d audited publishes", audited)
	}

	// the same units as PO
	po := s.export("siedlce", exportForm("pl", "sv", "missing-outdated", "po"))
	if !strings.HasSuffix(strings.Trim(po.Header.Get("Content-Disposition"), `"`), ".po") {
		t.Fatalf("PO export: %d %s", po.StatusCode, po.Header.Get("Content-Disposition"))
	}
	if _, err := exchange.ReadPO(strings.NewReader(po.body), 1<<20); err != nil {
		t.Errorf("PO export does not read back: %v", err)
	}

	// the parity report
	csvRes := s.get("/admin/sites/siedlce/translations/parity.csv")
	rows, err := csv.NewReader(strings.NewReader(csvRes.body)).ReadAll()
	if err != nil || len(rows) == 0 || rows[0][0] != "produced_at" {
		t.Errorf("parity CSV: %v %v", err, rows)
	}
}

// Bad files are refused with a translated message, and nothing is stored.
func TestImportRefusesBadFiles(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	s.lang = "pl"
	s.login("jan@siedlce.pl")
	good := s.export("siedlce", exportForm("pl", "it", "all", "xliff")).body
	var before int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM revisions`).Scan(&before)
	tests := map[string]string{
		"malformed":    good[:len(good)/2],
		"bomb":         `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><xliff version="1.2">&b;</xliff>`,
		"external":     `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff version="1.2">&e;</xliff>`,
		"other site":   strings.Replace(good, "twintowns:siedlce", "twintowns:seinajoki", 1),
		"other lang":   strings.Replace(good, `target-language="it"`, `target-language="de"`, 1),
		"unknown unit": regexp.MustCompile(`id="city/\d+/`).ReplaceAllString(good, `id="city/999999/`),
		"not xliff":    `<?xml version="1.0"?><html/>`,
	}
	bundle, _ := locale.Load()
	pl := bundle.For("pl")
	for name, body := range tests {
		res := s.upload("/admin/sites/siedlce/translations/import", "x.xlf", []byte(body))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, pl.T("admin.import.refused")) {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
	var after int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM revisions`).Scan(&after)
	if after != before {
		t.Errorf("a refused file stored %d revisions", after-before)
	}
	for _, code := range exchange.Codes {
		for _, lang := range bundle.Languages() {
			if id := "admin.import.error." + string(code); bundle.For(lang).T(id) == id {
				t.Errorf("%s: no message %s", lang, id)
			}
		}
	}
}
