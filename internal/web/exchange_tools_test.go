package web_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The exchange files checked with tools nobody here wrote: the OASIS XLIFF 1.2 strict schema
// (xmllint), translate-toolkit (xliff2po, pomerge, po2xliff, pocount) and GNU gettext.
// `make test` installs them and sets EXCHANGE_TOOLS=required, so that there a missing tool
// fails the test; a bare `go test` skips it.

// tool is the path of a command the checks need.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("EXCHANGE_TOOLS") == "required" {
			t.Fatalf("%s is not installed (make deps-exchange installs it)", name)
		}
		t.Skipf("%s is not installed: run make test", name)
	}
	return p
}

// xliffSchema is the OASIS XLIFF 1.2 strict schema that make deps-exchange fetches.
func xliffSchema(t *testing.T) string {
	t.Helper()
	p := os.Getenv("XLIFF_XSD")
	if p == "" {
		p = filepath.Join("..", "..", "var", "xliff", "xliff-core-1.2-strict.xsd")
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs // the tools run in folders of their own
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("EXCHANGE_TOOLS") == "required" {
			t.Fatalf("no XLIFF schema at %s (make deps-exchange fetches it)", p)
		}
		t.Skipf("no XLIFF schema at %s: run make test", p)
	}
	return p
}

func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(tool(t, name), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// outdated makes Koszalin's texts out of date in every translation (its Swedish source
// changes) and gives Sopron's summary the same source as Koszalin's, so exports carry
// previous sources and exact matches of the memory too.
func outdated(t *testing.T, e *env, s *staff) {
	t.Helper()
	for slug, values := range map[string]map[string]string{
		"sopron":   {"summary_sv": "En stad vid gränsen.", "summary_it": "Una città al confine.", "summary_fi": "Kaupunki rajalla."},
		"koszalin": {"summary_sv": "En stad vid gränsen.", "summary_it": "", "summary_fi": ""},
	} {
		path := "/admin/sites/seinajoki/cities/" + itoa(cityID(t, e, "seinajoki", slug))
		form := formOf(t, s.get(path).body)
		for k, v := range values {
			form.Set(k, v)
		}
		if slug == "koszalin" {
			form.Set("description_sv", form.Get("description_sv")+" Ny mening.")
			form.Set("reviewed_fi", "")
		}
		form.Set("action", "draft")
		if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", slug, res.StatusCode, res.body)
		}
	}
}

// Every export, of every site into every language, with codes, previous sources, memory
// matches and limits, is valid against the OASIS XLIFF 1.2 strict schema; pocount counts
// the approved translations as translated and the out-of-date ones as fuzzy; msgfmt and
// po2xliff read the PO files.
func TestExportsPassTheStandardTools(t *testing.T) {
	xsd := xliffSchema(t)
	e := newEnv(t)
	s := e.staff(t, "root@example.org", "", true)
	s.login("root@example.org")
	outdated(t, e, s)
	dir := t.TempDir()
	exports := map[string][]string{"seinajoki": {"fi"}, "siedlce": {"pl"}} // the default source languages
	n := 0
	for site, from := range exports {
		for _, f := range from {
			for _, to := range []string{"sv", "fi", "it", "pl"} {
				if to == f {
					continue
				}
				for _, format := range []string{"xliff", "po"} {
					body := s.export(site, exportForm(f, to, "all", format)).body
					name := filepath.Join(dir, site+"_"+f+"-"+to+"."+map[string]string{"xliff": "xlf", "po": "po"}[format])
					if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
						t.Fatal(err)
					}
					n++
					if format == "xliff" {
						run(t, dir, "xmllint", "--noout", "--nonet", "--schema", xsd, name)
						continue
					}
					run(t, dir, "msgfmt", "--check", "-o", os.DevNull, name)
					run(t, dir, "po2xliff", name, name+".xlf")
					conv, _ := os.ReadFile(name + ".xlf")
					if got, want := strings.Count(string(conv), "<trans-unit"), strings.Count(body, "\nmsgctxt ")+1; got != want {
						t.Errorf("%s: po2xliff made %d units of %d entries", name, got, want)
					}
				}
			}
		}
	}
	if n != 12 {
		t.Errorf("%d exports checked", n)
	}
	// the Swedish of Seinäjoki into Finnish: one entry out of date, the rest approved
	xlf := filepath.Join(dir, "sj.xlf")
	body := s.export("seinajoki", exportForm("sv", "fi", "all", "xliff")).body
	os.WriteFile(xlf, []byte(body), 0o644)
	run(t, dir, "xmllint", "--noout", "--nonet", "--schema", xsd, xlf)
	if !strings.Contains(body, `alttranstype="previous-version"`) || !strings.Contains(body, `match-quality="100"`) {
		t.Error("the export has no previous source or memory match to validate")
	}
	csv := strings.Split(strings.TrimSpace(run(t, dir, "pocount", "--csv", xlf)), "\n")
	cells := strings.Split(csv[len(csv)-1], ",")
	translated, _ := strconv.Atoi(strings.TrimSpace(cells[1]))
	fuzzy, _ := strconv.Atoi(strings.TrimSpace(cells[4]))
	if approved := strings.Count(body, `approved="yes"`); translated != approved || fuzzy == 0 || translated == 0 {
		t.Errorf("pocount: %d translated, %d fuzzy; the file approves %d\n%s", translated, fuzzy, approved, csv)
	}
}

// A round trip through translate-toolkit, as an agency without a CAT tool makes it: the job's
// XLIFF to PO (xliff2po), the PO filled, merged back into the XLIFF (pomerge), imported and
// published; the Markdown link the translator wrote is on the public page.
func TestTranslateToolkitRoundTrip(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	dir := t.TempDir()
	xlf := s.export("seinajoki", exportForm("fi", "it", "all", "xliff")).body
	if err := os.WriteFile(filepath.Join(dir, "job.xlf"), []byte(xlf), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "xliff2po", "job.xlf", "job.po")
	po, _ := os.ReadFile(filepath.Join(dir, "job.po"))
	// fill two entries, found by their location (the unit id), as a translator in Poedit
	filled := string(po)
	for unit, text := range map[string]string{
		unitOf(t, e, "seinajoki", "sopron", "name"):          "Sopron (Ungheria)",
		unitOf(t, e, "seinajoki", "koszalin", "description"): "Koszalin è una città della Polonia nordoccidentale, a 15 km dal Mar Baltico. La città ha 106 000 abitanti. L'accordo di gemellaggio fu firmato nel 1987. Per saperne di più su Koszalin, vedi [Wikipedia](https://it.wikipedia.org/wiki/Koszalin).",
	} {
		re := regexp.MustCompile(`(?s)(#: ` + regexp.QuoteMeta(unit) + `\n(?:#, fuzzy\n)?msgid (?:"[^\n]*"\n)+)msgstr (?:"[^\n]*"\n)+`)
		if !re.MatchString(filled) {
			t.Fatalf("no entry %s in the PO of xliff2po:\n%.3000s", unit, filled)
		}
		filled = re.ReplaceAllString(filled, "${1}msgstr \""+strings.ReplaceAll(text, `"`, `\"`)+"\"\n")
	}
	filled = strings.ReplaceAll(filled, "#, fuzzy\nmsgid \"\"", "msgid \"\"")
	os.WriteFile(filepath.Join(dir, "filled.po"), []byte(filled), 0o644)
	run(t, dir, "pomerge", "-t", "job.xlf", "-i", "filled.po", "-o", "back.xlf")
	back, _ := os.ReadFile(filepath.Join(dir, "back.xlf"))
	p := s.importFile("seinajoki", "back.xlf", back)
	if p.StatusCode != http.StatusOK {
		t.Fatalf("import of pomerge's file: %d\n%s", p.StatusCode, p.body)
	}
	var units []string
	for _, m := range regexp.MustCompile(`name="accept" value="([^"]+)"`).FindAllStringSubmatch(p.body, -1) {
		units = append(units, m[1])
	}
	if len(units) != 2 {
		t.Fatalf("pomerge's file changes %v\n%s", units, p.body)
	}
	if res := s.confirm("seinajoki", p.token, "publish", units...); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", res.StatusCode, res.body)
	}
	e.srv.Invalidate()
	if page := e.get(t, seinajoki, "/it/cities/koszalin").body; !strings.Contains(page, `<a href="https://it.wikipedia.org/wiki/Koszalin">Wikipedia</a>`) {
		t.Errorf("the link is not on the public page")
	}
	if page := e.get(t, seinajoki, "/it/cities/sopron").body; !strings.Contains(page, "Sopron (Ungheria)") {
		t.Errorf("the name is not on the public page")
	}
}
