package web_test

import (
	"fmt"
	"net/http"
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
			"/admin/sites/siedlce/settings?lang="+v, "/admin/sites/siedlce/cities?country="+v+"&status="+v+"&lang="+v)
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
}
