package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"twintowns/internal/exchange"
	"twintowns/internal/photo/phototest"
	"twintowns/internal/twinning"
)

// uploadPhoto posts a photo form: the file as "photo" and the fields.
func (s *staff) uploadPhoto(path string, content []byte, fields ...string) response {
	s.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, _ := w.CreateFormFile("photo", "IMG_0001.JPG")
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
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{res, string(body)}
}

// photoID is the id of the photo whose form a response redirects to, or the newest of the site.
func newestPhoto(t *testing.T, e *env) int64 {
	t.Helper()
	var id int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT max(id) FROM photos`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// exifOf is what exiftool (Debian's libimage-exiftool-perl, installed by make test) finds of
// EXIF, GPS, XMP, IPTC and maker notes in b.
func exifOf(t *testing.T, b []byte) string {
	t.Helper()
	tool, err := exec.LookPath("exiftool")
	if err != nil {
		t.Fatal("exiftool is missing: make test installs it (Debian libimage-exiftool-perl)")
	}
	f := t.TempDir() + "/photo"
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-a", "-G1", "-EXIF:all", "-GPS:all", "-XMP:all", "-IPTC:all", "-MakerNotes:all", f).Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

var (
	srcsetRE = regexp.MustCompile(`srcset="([^"]+)"`)
	imgRE    = regexp.MustCompile(`<img [^>]*>`)
)

// A phone's photo (turned, with its GPS position in EXIF) uploaded by an editor is on the
// city's public page as a <picture>: WebP and JPEG at three widths, upright, its size given,
// its alt text in each language, its credit and licence; every file served is free of
// metadata, cached for good, and the share image is cut from it.
func TestPhotoUploadToPublicPage(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "editor@seinajoki.fi", "seinajoki", false)
	s.login("editor@seinajoki.fi")
	city := cityID(t, e, "seinajoki", "koszalin")
	orig := phototest.JPEG(2400, 1800, 6)
	if !strings.Contains(exifOf(t, orig), "GPS Latitude") {
		t.Fatal("the test photo has no GPS position")
	}
	res := s.uploadPhoto(fmt.Sprintf("/admin/sites/seinajoki/cities/%d/photos", city), orig,
		"alt_fi", "Koszalinin rantakatu illalla", "alt_sv", "Strandgatan i Koszalin en kväll",
		"credit", "Anna Testaaja", "photo_licence", "CC-BY-4.0", "action", "publish")
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/photos") {
		t.Fatalf("upload: %d %s\n%.3000s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	form := s.get(fmt.Sprintf("/admin/sites/seinajoki/cities/%d/photos", city))
	if !strings.Contains(form.body, "Koszalinin rantakatu illalla") || !strings.Contains(form.body, "Pääkuva") {
		t.Errorf("the city's photos page does not list the photo as its lead")
	}

	page := e.get(t, seinajoki, "/fi/cities/koszalin")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, "<picture>") {
		t.Fatalf("no picture on the city's page: %d", page.StatusCode)
	}
	img := imgRE.FindString(page.body[strings.Index(page.body, "<picture>"):])
	for _, want := range []string{`alt="Koszalinin rantakatu illalla"`, `width="1600"`, `height="2133"`, `sizes="`, `fetchpriority="high"`} {
		if !strings.Contains(img, want) {
			t.Errorf("lead image has no %s: %s", want, img)
		}
	}
	if !strings.Contains(page.body, `<source type="image/webp" srcset="`) || !strings.Contains(page.body, "Kuva: Anna Testaaja") ||
		!strings.Contains(page.body, `<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>`) {
		t.Error("no WebP source, credit or licence")
	}
	if sv := e.get(t, seinajoki, "/sv/cities/koszalin").body; !strings.Contains(sv, `alt="Strandgatan i Koszalin en kväll"`) {
		t.Error("no Swedish alt text on the Swedish page")
	}
	// no Polish alt text: the Finnish one, marked as Finnish
	if pl := e.get(t, seinajoki, "/pl/cities/koszalin").body; !regexp.MustCompile(`<img [^>]*alt="Koszalinin rantakatu illalla"[^>]*lang="fi"`).MatchString(pl) {
		t.Error("the fallback alt text is not marked with its language")
	}

	var files []string
	for _, m := range srcsetRE.FindAllStringSubmatch(page.body, -1) {
		for _, c := range strings.Split(m[1], ", ") {
			files = append(files, strings.Fields(c)[0])
		}
	}
	if len(files) != 6 || !strings.HasSuffix(files[0], "-480.webp") || !strings.HasSuffix(files[5], "-1600.jpg") {
		t.Fatalf("srcset files: %v", files)
	}
	share := regexp.MustCompile(`<meta property="og:image" content="([^"]+)"`).FindStringSubmatch(page.body)
	if share == nil || !strings.HasSuffix(share[1], "-share.jpg") || !strings.Contains(page.body, `<meta property="og:image:type" content="image/jpeg"`) {
		t.Fatalf("share image: %v", share)
	}
	files = append(files, pathOf(t, share[1]))
	for _, f := range files {
		res := e.get(t, seinajoki, f)
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Fatalf("%s: %d %q", f, res.StatusCode, res.Header.Get("Cache-Control"))
		}
		want := map[bool]string{true: "image/webp", false: "image/jpeg"}[strings.HasSuffix(f, ".webp")]
		if res.Header.Get("Content-Type") != want {
			t.Errorf("%s: %s", f, res.Header.Get("Content-Type"))
		}
		if got := exifOf(t, []byte(res.body)); got != "" || strings.Contains(res.body, phototest.Secret) {
			t.Errorf("%s has metadata:\n%s", f, got)
		}
		if again := e.get(t, seinajoki, f, "If-None-Match", res.Header.Get("Etag")); again.StatusCode != http.StatusNotModified {
			t.Errorf("%s again with its ETag: %d", f, again.StatusCode)
		}
	}
	cfg, err := jpeg.DecodeConfig(strings.NewReader(e.get(t, seinajoki, pathOf(t, share[1])).body))
	if err != nil || cfg.Width != 1200 || cfg.Height != 630 {
		t.Errorf("share image %dx%d, %v", cfg.Width, cfg.Height, err)
	}
	// the original is kept, never served; another site does not serve this one's photos
	var kept []byte
	e.db.Pool.QueryRow(context.Background(), `SELECT content FROM photo_originals`).Scan(&kept)
	if !bytes.Equal(kept, orig) {
		t.Error("the original is not kept as uploaded")
	}
	if res := e.get(t, siedlce, files[0]); res.StatusCode != http.StatusNotFound {
		t.Errorf("another site serves the photo: %d", res.StatusCode)
	}
	for _, bad := range []string{"/photos/0123456789abcdef-960.webp", "/photos/x.jpg", "/photos/" + strings.Repeat("a", 16) + "-0.jpg"} {
		if res := e.get(t, seinajoki, bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
}

// Publishing a photo needs its alt text in the site's required languages (Finnish for
// Seinäjoki), as any entry needs its name: an upload without it is kept as a draft that
// the public never sees, and its form refuses to publish until the text is there.
func TestPhotoRequiredLanguages(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "editor@seinajoki.fi", "seinajoki", false)
	s.login("editor@seinajoki.fi")
	city := cityID(t, e, "seinajoki", "koszalin")
	res := s.uploadPhoto(fmt.Sprintf("/admin/sites/seinajoki/cities/%d/photos", city), phototest.JPEG(800, 600, 0),
		"alt_sv", "Torget i Koszalin", "credit", "Anna", "action", "publish")
	id := newestPhoto(t, e)
	photoForm := fmt.Sprintf("/admin/sites/seinajoki/photos/%d", id)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != photoForm {
		t.Fatalf("upload without Finnish: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if page := e.get(t, seinajoki, "/sv/cities/koszalin").body; strings.Contains(page, "<picture>") {
		t.Fatal("a draft photo is on the public page")
	}
	form := s.get(photoForm)
	if form.StatusCode != http.StatusOK || !strings.Contains(form.body, "Valokuva tallennettiin luonnoksena") || !strings.Contains(form.body, "Torget i Koszalin") {
		t.Fatalf("photo form: %d\n%.2000s", form.StatusCode, form.body)
	}
	values := formOf(t, form.body)
	values.Set("action", "publish")
	res = s.post(photoForm, values)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="alt_fi-error"`) {
		t.Fatalf("publish without Finnish: %d", res.StatusCode)
	}
	values.Set("alt_fi", "Koszalinin tori")
	if res = s.post(photoForm, values); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish with Finnish: %d\n%.2000s", res.StatusCode, res.body)
	}
	if page := e.get(t, seinajoki, "/fi/cities/koszalin").body; !strings.Contains(page, `alt="Koszalinin tori"`) {
		t.Error("the published photo is not on the public page")
	}
}

// Alt texts go through the translation workflow like every field: listed in the overview,
// exported as XLIFF units, imported and published to the page in the new language.
func TestPhotoAltTextExchange(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "editor@seinajoki.fi", "seinajoki", false)
	s.login("editor@seinajoki.fi")
	city := cityID(t, e, "seinajoki", "koszalin")
	s.uploadPhoto(fmt.Sprintf("/admin/sites/seinajoki/cities/%d/photos", city), phototest.JPEG(800, 600, 0),
		"alt_fi", "Koszalinin tori", "credit", "Anna", "action", "publish")
	id := newestPhoto(t, e)
	unitID := fmt.Sprintf("photo/%d/alt", id)
	if o := s.get("/admin/sites/seinajoki/translations?type=photo"); !strings.Contains(o.body, "Koszalinin tori") {
		t.Error("the photo is not in the translation overview")
	}
	if tr := s.get(fmt.Sprintf("/admin/sites/seinajoki/photos/%d/translate?to=it&from=fi", id)); tr.StatusCode != http.StatusOK ||
		!strings.Contains(tr.body, "Koszalinin tori") {
		t.Errorf("translator's screen: %d", tr.StatusCode)
	}
	xlf := s.export("seinajoki", exportForm("fi", "it", "missing-outdated", "xliff"))
	f, err := exchange.ReadXLIFF(strings.NewReader(xlf.body), 1<<24)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range f.Units {
		found = found || u.ID == unitID && u.Source == "Koszalinin tori"
	}
	if !found {
		t.Fatalf("no unit %s in the export", unitID)
	}
	preview := s.importFile("seinajoki", "seinajoki_fi-it.xlf", agency(t, xlf.body, map[string]string{unitID: "La piazza di Koszalin"}))
	if preview.StatusCode != http.StatusOK || !slices.Contains(preview.ticked, unitID) {
		t.Fatalf("import: %d, ticked %v\n%.2000s", preview.StatusCode, preview.ticked, preview.body)
	}
	if res := s.confirm("seinajoki", preview.token, "publish", unitID); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d\n%.2000s", res.StatusCode, res.body)
	}
	if page := e.get(t, seinajoki, "/it/cities/koszalin").body; !strings.Contains(page, `alt="La piazza di Koszalin"`) {
		t.Error("the imported alt text is not on the Italian page")
	}
	po := s.export("seinajoki", exportForm("fi", "pl", "all", "po"))
	if !strings.Contains(po.body, `msgctxt "`+unitID+`"`) {
		t.Error("no PO entry of the alt text")
	}
}

// Staff order the photos (the first leads the page and the share image), replace a file
// (the old addresses go), and trash and restore a photo.
func TestPhotoOrderReplaceTrash(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "editor@seinajoki.fi", "seinajoki", false)
	s.login("editor@seinajoki.fi")
	city := cityID(t, e, "seinajoki", "koszalin")
	upload := fmt.Sprintf("/admin/sites/seinajoki/cities/%d/photos", city)
	s.uploadPhoto(upload, phototest.JPEG(900, 600, 0), "alt_fi", "Ensimmäinen kuva", "credit", "A", "action", "publish")
	first := newestPhoto(t, e)
	s.uploadPhoto(upload, phototest.JPEG(600, 900, 0), "alt_fi", "Toinen kuva", "credit", "B", "action", "publish")
	second := newestPhoto(t, e)
	lead := func() string {
		page := e.get(t, seinajoki, "/fi/cities/koszalin").body
		m := regexp.MustCompile(`<img [^>]*alt="([^"]+)"[^>]*fetchpriority="high"`).FindStringSubmatch(page)
		if m == nil {
			return ""
		}
		return m[1]
	}
	if got := lead(); got != "Ensimmäinen kuva" {
		t.Fatalf("lead %q", got)
	}
	page := e.get(t, seinajoki, "/fi/cities/koszalin").body
	if !regexp.MustCompile(`<img [^>]*alt="Toinen kuva"[^>]*loading="lazy"`).MatchString(page) {
		t.Error("the second photo is not lazy-loaded below the fold")
	}
	if res := s.post(fmt.Sprintf("/admin/sites/seinajoki/photos/%d/move", second), url.Values{"to": {"lead"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d", res.StatusCode)
	}
	if got := lead(); got != "Toinen kuva" {
		t.Errorf("lead after the move %q", got)
	}
	if res := s.post(fmt.Sprintf("/admin/sites/seinajoki/photos/%d/move", second), url.Values{"to": {"sideways"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a move that is none: %d", res.StatusCode)
	}

	old := srcsetRE.FindStringSubmatch(e.get(t, seinajoki, "/fi/cities/koszalin").body)[1]
	oldFile := strings.Fields(old)[0]
	if e.get(t, seinajoki, oldFile).StatusCode != http.StatusOK {
		t.Fatal("the lead's file is not served")
	}
	res := s.uploadPhoto(fmt.Sprintf("/admin/sites/seinajoki/photos/%d/replace", second), phototest.JPEG(1000, 700, 0))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("replace: %d\n%.2000s", res.StatusCode, res.body)
	}
	now := srcsetRE.FindStringSubmatch(e.get(t, seinajoki, "/fi/cities/koszalin").body)[1]
	if now == old || e.get(t, seinajoki, oldFile).StatusCode != http.StatusNotFound || lead() != "Toinen kuva" {
		t.Errorf("after the replace: the same files, the old one still served, or the alt text lost")
	}

	newFile := strings.Fields(now)[0]
	if res := s.post(fmt.Sprintf("/admin/sites/seinajoki/photos/%d/delete", second), url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("trash: %d", res.StatusCode)
	}
	if got := lead(); got != "Ensimmäinen kuva" {
		t.Errorf("lead with the other in the trash %q", got)
	}
	if res := e.get(t, seinajoki, newFile); res.StatusCode != http.StatusNotFound {
		t.Errorf("a photo in the trash is served: %d", res.StatusCode)
	}
	if trash := s.get("/admin/sites/seinajoki/trash"); !strings.Contains(trash.body, "Toinen kuva") {
		t.Error("the photo is not in the trash")
	}
	res = s.post(fmt.Sprintf("/admin/sites/seinajoki/photos/%d/restore", second), url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/admin/sites/seinajoki/photos/%d", second) {
		t.Fatalf("restore: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if got := lead(); got != "Toinen kuva" {
		t.Errorf("lead after the restore %q", got)
	}
	_ = first
}

// What a person can send wrong is refused with a translated message next to the file
// input, everything typed kept: another type of file, a header claiming too many pixels, a
// damaged file, a file over 25 MB. A translator may not upload.
func TestPhotoUploadRefusals(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "editor@seinajoki.fi", "seinajoki", false)
	s.login("editor@seinajoki.fi")
	city := cityID(t, e, "seinajoki", "koszalin")
	path := fmt.Sprintf("/admin/sites/seinajoki/cities/%d/photos", city)
	bomb := phototest.JPEG(64, 48, 0)
	for i := 2; i+9 < len(bomb); i += 2 + int(bomb[i+2])<<8 + int(bomb[i+3]) {
		if bomb[i+1] == 0xC0 { // claim 10000 x 7000: 70 megapixels
			bomb[i+5], bomb[i+6], bomb[i+7], bomb[i+8] = 7000>>8, 7000&0xff, 10000>>8, 10000&0xff
			break
		}
	}
	for _, tc := range []struct {
		name    string
		content []byte
		status  int
		message string
	}{
		{"pdf", []byte("%PDF-1.4\n"), http.StatusUnsupportedMediaType, "Tätä tiedostoa ei voi käyttää valokuvana"},
		{"bomb", bomb, http.StatusUnprocessableEntity, "Kuvassa on yli 60 megapikseliä"},
		{"damaged", phototest.JPEG(800, 600, 0)[:2000], http.StatusUnprocessableEntity, "Kuvatiedostoa ei voi lukea"},
		{"too large", append(phototest.JPEG(64, 48, 0), make([]byte, 25<<20)...), http.StatusRequestEntityTooLarge, "Kuva on liian suuri"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := s.uploadPhoto(path, tc.content, "alt_fi", "Kirjoitettu teksti", "credit", "Kuvaaja X", "action", "publish")
			if res.StatusCode != tc.status || !strings.Contains(res.body, tc.message) || !strings.Contains(res.body, `value="Kirjoitettu teksti"`) ||
				!strings.Contains(res.body, `value="Kuvaaja X"`) {
				t.Errorf("%d, want %d with %q and the typed values", res.StatusCode, tc.status, tc.message)
			}
		})
	}
	var n int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM photos`).Scan(&n)
	if n != 0 {
		t.Errorf("%d photos stored", n)
	}
	if res := s.uploadPhoto(path, phototest.JPEG(64, 48, 0), "credit", "X"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a photo without any alt text: %d", res.StatusCode)
	}
	sites, _ := e.db.Sites(t.Context())
	tr := e.addUser(t, twinning.User{Email: "sv@example.org", Role: twinning.RoleTranslator, Sites: []int64{sites[0].ID}, Langs: []string{"sv"}})
	if res := tr.uploadPhoto(path, phototest.JPEG(64, 48, 0), "alt_sv", "X", "credit", "X"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a translator's upload: %d", res.StatusCode)
	}
}

// Photos are named by their city where entries of every type are listed, as documents are:
// two photos of one alt text tell apart in the translation overview, a draft never published
// too, and a photo's form leads back to its city's photos.
func TestPhotosNamedByTheirCity(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "editor@seinajoki.fi", "seinajoki", false)
	s.login("editor@seinajoki.fi")
	for _, city := range []string{"koszalin", "sopron"} {
		path := fmt.Sprintf("/admin/sites/seinajoki/cities/%d/photos", cityID(t, e, "seinajoki", city))
		if res := s.uploadPhoto(path, phototest.JPEG(800, 600, 0), "alt_fi", "Kaupungintalo", "credit", "Anna", "action", "draft"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload to %s: %d\n%s", city, res.StatusCode, res.body)
		}
	}
	page := s.get("/admin/sites/seinajoki/translations?type=photo")
	rows := regexp.MustCompile(`(?s)<th scope="row">\s*<a href="[^"]+">([^<]+)</a>\s*(?:<span class="hint">\(([^)]*)\)</span>)?`).FindAllStringSubmatch(page.body, -1)
	var got []string
	for _, r := range rows {
		got = append(got, r[1]+" ("+r[2]+")")
	}
	slices.Sort(got)
	if page.StatusCode != http.StatusOK || !slices.Equal(got, []string{"Kaupungintalo (Koszalin)", "Kaupungintalo (Sopron)"}) {
		t.Errorf("photo rows of the overview: %d %q", page.StatusCode, got)
	}
	city := fmt.Sprintf("/admin/sites/seinajoki/cities/%d", cityID(t, e, "seinajoki", "sopron"))
	form := s.get(fmt.Sprintf("/admin/sites/seinajoki/photos/%d", newestPhoto(t, e)))
	crumbs := regexp.MustCompile(`(?s)<nav class="breadcrumb".*?</nav>`).FindString(form.body)
	if form.StatusCode != http.StatusOK || !strings.Contains(crumbs, `<a href="`+city+`">Sopron</a>`) || !strings.Contains(crumbs, `<a href="`+city+`/photos">`) {
		t.Errorf("the photo's breadcrumb: %d %s", form.StatusCode, crumbs)
	}
}
