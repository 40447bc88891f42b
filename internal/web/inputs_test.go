package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// No URL, query string, header or cookie a client can send makes a server error, public or
// staff.
func TestNoRequestMakesAServerError(t *testing.T) {
	e := newEnv(t)
	root := e.staff(t, "admin@example.org", "", true)
	root.login("admin@example.org")
	id := cityID(t, e, "siedlce", "kirov")
	city := fmt.Sprintf("/admin/sites/siedlce/cities/%d", id)
	nasty := []string{"%00", "%ff", "%C0%80", "%ED%A0%80", "-1", "0", "99999999999999999999", "1e308", "NaN", "..%2F..", strings.Repeat("x", 3000)}
	var paths []string
	for _, v := range nasty {
		paths = append(paths,
			"/pl/cities/"+v, "/pl/cities/kirov/documents/"+v, "/pl/cities/"+v+"/documents/agreement", "/"+v+"/",
			"/pl/?switch="+v, "/sitemap.xml?lang="+v, "/pl/history?page="+v,
			"/admin/sites/"+v+"/cities", "/admin/sites/siedlce/cities?kind="+v+"&status="+v,
			"/admin/sites/siedlce/cities/"+v, "/admin/sites/siedlce/cities/"+v+"/history", "/admin/sites/siedlce/cities/"+v+"/preview",
			city+"/preview?lang="+v, city+"/history/"+v, "/admin/sites/siedlce/texts/preview?lang="+v+"&page="+v,
			"/admin/sites/siedlce/texts/preview?page=history&lang="+v, "/admin/sites/siedlce/texts/history/"+v,
			"/admin/lang/"+v+"?next="+v, "/admin/lang/fi?next=http://"+v, "/admin/sites/siedlce/trash?page="+v,
			"/admin/sites/siedlce/feedback?page="+v, "/admin/audit?site="+v,
			"/data/partnerships.json?lang="+v, "/data/partnerships.csv?"+v, "/"+v+"/feed.atom", "/pl/feed.atom?page="+v,
			"/admin/sites/siedlce/documents/"+v, "/admin/sites/siedlce/documents/"+v+"/history/"+v,
			"/admin/sites/siedlce/settings?lang="+v, "/admin/sites/siedlce/cities?country="+v+"&status="+v+"&lang="+v,
			"/admin/sites/siedlce/translations?to="+v+"&from="+v+"&kind="+v+"&state="+v,
			"/admin/sites/siedlce/translations/parity.csv?to="+v,
			city+"/translate?to="+v+"&from="+v, "/admin/sites/siedlce/texts/translate?to="+v,
			"/admin/password/"+v, "/admin/users/"+v, "/admin/users/?role="+v+"&site="+v, "/admin/users/new?role="+v)
	}
	headers := [][]string{
		{"Accept-Language", "\xff\xfe;q=NaN,*;q=1e999,pl;q=-1"},
		{"Accept-Language", strings.Repeat("a-", 5000)},
		{"Cookie", "lang=%00; twintowns_session=\xff"},
		{"Cookie", "lang=" + strings.Repeat("x", 4000)},
		{"If-None-Match", "\"\xff\", *, W/\"x\""},
		{"If-Modified-Since", "NaN"},
		{"Range", "bytes=-99999999999999999999"},
		{"Range", "bytes=5-1,abc"},
		{"X-Forwarded-For", "\xff, , 999.999.1.1"},
	}
	headers = append(headers, nil)
	for i, path := range paths {
		// every path plain and with one of the headers, every header on many paths
		for _, h := range [][]string{nil, headers[i%len(headers)]} {
			var res response
			if strings.HasPrefix(path, "/admin") {
				res = root.do(http.MethodGet, path, nil, h...)
			} else {
				res = e.get(t, siedlce, path, h...)
			}
			if res.StatusCode >= 500 {
				t.Errorf("GET %.80s %.40q: %d", path, h, res.StatusCode)
			}
		}
	}
	for _, v := range nasty {
		v, _ = url.PathUnescape(v)
		for _, form := range []url.Values{exportForm("pl", v, v, "po"), exportForm(v, "it", "all", v, v)} {
			if res := root.post("/admin/sites/siedlce/translations/export", form); res.StatusCode >= 500 {
				t.Errorf("export %.80q: %d", form, res.StatusCode)
			}
		}
	}
}

// An exchange file whose targets hold NUL bytes or invalid UTF-8 is refused or cleaned:
// neither its preview nor its import makes a server error.
func TestImportedTextIsValidText(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	s.lang = "pl"
	s.login("jan@siedlce.pl")
	for _, format := range []string{"po", "xliff"} {
		good := s.export("siedlce", exportForm("pl", "it", "all", format)).body
		// the first is valid: its import shows that the file was read
		for _, bad := range []string{"dobry tekst ", "zły \x00 tekst", "zły \xff\xfe tekst", "\xc3"} {
			var body string
			if format == "po" {
				i := strings.Index(good, "msgstr \"") + 1
				j := i + strings.Index(good[i:], "msgstr \"") + len("msgstr \"")
				body = good[:j] + bad + good[j:]
			} else {
				body = regexp.MustCompile(`(<target[^>]*>)`).ReplaceAllString(good, "${1}"+bad)
			}
			preview := s.importFile("siedlce", "x."+format, []byte(body))
			if preview.StatusCode >= 500 {
				t.Errorf("%s preview with %q: %d", format, bad, preview.StatusCode)
				continue
			}
			if preview.token == "" && bad == "dobry tekst " {
				t.Fatalf("%s: valid file not read: %d\n%s", format, preview.StatusCode, preview.body)
			}
			if preview.token == "" {
				continue // refused
			}
			var all []string
			for _, m := range regexp.MustCompile(`name="accept" value="([^"]+)"`).FindAllStringSubmatch(preview.body, -1) {
				all = append(all, m[1])
			}
			if res := s.confirm("siedlce", preview.token, "publish", all...); res.StatusCode >= 500 {
				t.Errorf("%s import with %q: %d", format, bad, res.StatusCode)
			}
		}
	}
}
