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
	res := s.get("/admin/sites/siedlce/translations/export?from=pl&to=it&scope=all&format=xliff")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), `filename="siedlce_pl-it_all_`) {
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
	preview := s.upload("/admin/sites/siedlce/translations/import", "siedlce_pl-it.xlf", []byte(filled))
	if preview.StatusCode != 200 || !strings.Contains(preview.body, "<ins>") || !strings.Contains(preview.body, "tradotto dall&#39;agenzia") {
		t.Fatalf("preview: %d\n%s", preview.StatusCode, preview.body)
	}
	confirm := url.Values{"data": {regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(preview.body)[1]},
		"action": {"publish"}}
	for _, m := range regexp.MustCompile(`name="accept" value="([^"]+)" checked`).FindAllStringSubmatch(preview.body, -1) {
		confirm.Add("accept", m[1])
	}
	if len(confirm["accept"]) != 1 {
		t.Fatalf("accepted units: %v", confirm["accept"])
	}
	if res := s.post("/admin/sites/siedlce/translations/import/confirm", confirm); res.StatusCode != http.StatusSeeOther {
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
	po := s.get("/admin/sites/siedlce/translations/export?from=pl&to=sv&scope=missing-outdated&format=po")
	if po.StatusCode != 200 || !strings.HasSuffix(strings.Trim(po.Header.Get("Content-Disposition"), `"`), ".po") {
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
	good := s.get("/admin/sites/siedlce/translations/export?from=pl&to=it&scope=all&format=xliff").body
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
