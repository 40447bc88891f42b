package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"path"

	"github.com/a-h/templ"

	"twintowns/internal/locale"
	"twintowns/internal/photo"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// PhotoStore keeps the photos of cities: their files and their place; their texts and facts
// are entries of twinning.PhotoType (EntryStore).
type PhotoStore interface {
	AddPhoto(ctx context.Context, siteID, cityID int64, e twinning.Entry, up twinning.PhotoUpload, publish bool, by twinning.Actor) (int64, error)
	ReplacePhoto(ctx context.Context, siteID, id int64, up twinning.PhotoUpload, by twinning.Actor) error
	MovePhoto(ctx context.Context, siteID, id int64, move string, by twinning.Actor) error
	CityPhotos(ctx context.Context, siteID, cityID int64) ([]twinning.Photo, error)
	Photo(ctx context.Context, siteID, id int64) (twinning.Photo, error)
	PhotoFile(ctx context.Context, siteID int64, fingerprint string, v twinning.PhotoVariant, public bool) ([]byte, error)
}

// photoWorkers is how many photos are decoded and resized at once, each in a worker process:
// one keeps the memory a burst of uploads takes to what one photo takes (README: Photos).
const photoWorkers = 1

// photoErrors are the messages of the errors of an uploaded file.
var photoErrors = []struct {
	err     error
	status  int
	message string
}{
	{photo.ErrSize, http.StatusRequestEntityTooLarge, "validation.photo_size"},
	{photo.ErrFormat, http.StatusUnsupportedMediaType, "validation.photo_type"},
	{photo.ErrPixels, http.StatusUnprocessableEntity, "validation.photo_pixels"},
	{photo.ErrBroken, http.StatusUnprocessableEntity, "validation.photo_broken"},
}

// photoFileKey is the file input of the upload and replace forms.
var photoFileKey = twinning.Fact("photo")

// readPhoto reads the uploaded file of a photo form and makes its variants. A file the
// person can mend (missing, too large, of another type, damaged) is returned as its status
// and message ID, with a nil error.
func (s *Server) readPhoto(w http.ResponseWriter, r *http.Request) (twinning.PhotoUpload, int, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxPhotoBody)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return twinning.PhotoUpload{}, http.StatusRequestEntityTooLarge, "validation.photo_size", nil
		}
		return twinning.PhotoUpload{}, http.StatusBadRequest, "validation.upload_missing", nil
	}
	file, _, err := r.FormFile(photoFileKey.String())
	if err != nil {
		return twinning.PhotoUpload{}, http.StatusUnprocessableEntity, "validation.upload_missing", nil
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, photo.MaxBytes+1))
	if err != nil {
		return twinning.PhotoUpload{}, 0, "", err
	}
	if len(b) == 0 {
		return twinning.PhotoUpload{}, http.StatusUnprocessableEntity, "validation.upload_missing", nil
	}
	info, err := photo.Probe(b)
	var res photo.Result
	if err == nil {
		res, err = s.photos.Process(r.Context(), b)
	}
	for _, pe := range photoErrors {
		if errors.Is(err, pe.err) {
			s.log.InfoContext(r.Context(), "photo refused", "err", err)
			return twinning.PhotoUpload{}, pe.status, pe.message, nil
		}
	}
	if err != nil {
		return twinning.PhotoUpload{}, 0, "", err
	}
	s.log.InfoContext(r.Context(), "photo processed", "bytes", len(b), "width", info.Width, "height", info.Height,
		"worker_rss", res.WorkerRSS)
	sum := sha256.Sum256(b)
	up := twinning.PhotoUpload{Original: b, MediaType: info.Format.MediaType(), Fingerprint: hex.EncodeToString(sum[:8]),
		Width: res.Width, Height: res.Height}
	fileOf := func(purpose string, v photo.Variant) twinning.PhotoFile {
		return twinning.PhotoFile{PhotoVariant: twinning.PhotoVariant{Purpose: purpose, Format: string(v.Format),
			Width: v.Width, Height: v.Height}, Body: v.Body}
	}
	for _, v := range res.Variants {
		up.Files = append(up.Files, fileOf(twinning.PurposePage, v))
	}
	up.Files = append(up.Files, fileOf(twinning.PurposeShare, res.Share))
	return up, http.StatusOK, "", nil
}

// handlePhotoUpload adds a photo to a city: the file, its alt text in the site's languages,
// credit and licence. It is published when the person asks and may, and the site's required
// languages have their alt text; otherwise it is kept as a draft and its form says what is
// missing. A file that cannot be taken brings the city's form back with everything typed.
func (s *Server) handlePhotoUpload(w http.ResponseWriter, r *http.Request) error {
	if err := mayEditFacts(r); err != nil {
		return err
	}
	c, err := s.workingEntry(r, twinning.CityType)
	if err != nil {
		return err
	}
	if c.PublishedAt == nil {
		return twinning.Errorf(twinning.ENOTFOUND, "city %d is not published: no photos yet", c.ID)
	}
	site := adminSite(r)
	up, status, message, err := s.readPhoto(w, r)
	if err != nil {
		return err
	}
	f, _ := readEntry(twinning.PhotoType, site, r.PostForm)
	for _, d := range twinning.PhotoType.Facts {
		if f.Values[twinning.Fact(d.Key)] == "" && d.Default != "" {
			f.Values[twinning.Fact(d.Key)] = d.Default
		}
	}
	e := entryOf(twinning.PhotoType, site, f)
	errs := e.Validate(site)
	if message != "" {
		errs[photoFileKey] = message
	}
	if len(errs) > 0 {
		f.Errors = errs
		if status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
		return s.entryForm(w, r, twinning.CityType, status, editView{stored: &c, form: formOf(c), photoForm: &f}, c)
	}
	publish := r.PostForm.Get("action") == "publish"
	if publish && !currentUser(r).CanPublish(site.ID) {
		return forbid(r, "publish")
	}
	missing := e.ValidatePublish(site)
	id, err := s.admin.AddPhoto(r.Context(), site.ID, c.ID, e, up, publish && len(missing) == 0, s.actor(r))
	if err != nil {
		return err
	}
	if publish && len(missing) > 0 {
		// kept as a draft: its form shows which alt texts publishing needs
		flash(r, "admin.flash.photo_kept_as_draft")
		http.Redirect(w, r, s.urls(r).entry(twinning.PhotoType, id), http.StatusSeeOther)
		return nil
	}
	flash(r, map[bool]string{true: "admin.flash.photo_published", false: "admin.flash.photo_draft"}[publish])
	http.Redirect(w, r, s.urls(r).entry(twinning.CityType, c.ID)+"/photos", http.StatusSeeOther)
	return nil
}

// handlePhotoReplace puts a new file in the place of a photo's; its texts stay.
func (s *Server) handlePhotoReplace(w http.ResponseWriter, r *http.Request) error {
	if err := mayEditFacts(r); err != nil {
		return err
	}
	e, err := s.workingEntry(r, twinning.PhotoType)
	if err != nil {
		return err
	}
	up, status, message, err := s.readPhoto(w, r)
	if err != nil {
		return err
	}
	if message != "" {
		return s.entryForm(w, r, twinning.PhotoType, status, editView{stored: &e, form: formOf(e), docError: message}, e)
	}
	if err := s.admin.ReplacePhoto(r.Context(), adminSite(r).ID, e.ID, up, s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.flash.photo_replaced")
	http.Redirect(w, r, s.urls(r).entry(twinning.PhotoType, e.ID), http.StatusSeeOther)
	return nil
}

// handlePhotoMove moves a photo among its city's: to the lead, or one place up or down.
func (s *Server) handlePhotoMove(w http.ResponseWriter, r *http.Request) error {
	if err := mayEditFacts(r); err != nil {
		return err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	p, err := s.admin.Photo(r.Context(), adminSite(r).ID, id)
	if err != nil {
		return err
	}
	if err := s.admin.MovePhoto(r.Context(), adminSite(r).ID, id, r.PostForm.Get("to"), s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.flash.photo_moved")
	http.Redirect(w, r, s.urls(r).entry(twinning.CityType, p.CityID)+"/photos", http.StatusSeeOther)
	return nil
}

// handleStaffPhotoFile serves a variant of any photo of the site, drafts too, to staff.
func (s *Server) handleStaffPhotoFile(w http.ResponseWriter, r *http.Request) error {
	return s.servePhoto(w, r, adminSite(r).ID, false)
}

// cityPhotos lists a city's photos below its form, in order, each with its state and what
// staff can do with it, and the upload form (f: as typed, after a refused upload).
func (s *Server) cityPhotos(r *http.Request, e twinning.Entry, f *admin.Form) (templ.Component, error) {
	if e.PublishedAt == nil {
		return nil, nil
	}
	site := adminSite(r)
	files, err := s.admin.CityPhotos(r.Context(), site.ID, e.ID)
	if err != nil {
		return nil, err
	}
	entries := map[int64]twinning.Entry{}
	for _, trash := range []bool{false, true} {
		es, err := s.admin.Entries(r.Context(), twinning.PhotoType, site.ID, trash)
		if err != nil {
			return nil, err
		}
		for _, x := range es {
			entries[x.ID] = x
		}
	}
	tr := locale.From(r.Context())
	u := s.urls(r)
	v := admin.PhotosView{UploadURL: u.entry(e.Type, e.ID) + "/photos", Langs: site.Languages, Required: site.RequiredLangs,
		CanPublish: currentUser(r).CanPublish(site.ID), Licences: choiceOptions(tr, must(twinning.PhotoType.FactField("photo_licence")))}
	if f != nil {
		v.Form = *f
	} else {
		v.Form = admin.Form{Values: map[twinning.FieldKey]string{twinning.Fact("photo_licence"): twinning.LicencePermission}}
	}
	lead := true
	for _, p := range files {
		x, ok := entries[p.ID]
		if !ok {
			continue
		}
		base := u.entry(twinning.PhotoType, p.ID)
		row := admin.PhotoRow{Alt: x.Name(tr.Lang, site.Languages), Thumb: u.photoFile(p, 480), EditURL: base,
			StateID: publishState(x), InTrash: x.DeletedAt != nil, MoveURL: base + "/move", Langs: langStates(site, x)}
		if row.InTrash {
			row.TrashURL = base + "/restore"
		} else {
			row.TrashURL = base + "/delete"
			row.Lead = lead && x.PublishedAt != nil
			lead = lead && !row.Lead
		}
		v.Rows = append(v.Rows, row)
	}
	return admin.Photos(v), nil
}

// photoFile shows a photo above its form, with the form that replaces its file.
func (s *Server) photoFile(r *http.Request, e twinning.Entry, fileError string) (templ.Component, error) {
	p, err := s.admin.Photo(r.Context(), adminSite(r).ID, e.ID)
	if err != nil {
		return nil, err
	}
	u := s.urls(r)
	return admin.PhotoFile(admin.PhotoFileView{Src: u.photoFile(p, 960), Width: p.Width, Height: p.Height,
		CityURL: u.entry(twinning.CityType, p.CityID) + "/photos", ReplaceURL: u.entry(twinning.PhotoType, e.ID) + "/replace",
		Error: fileError, CanReplace: currentUser(r).CanEditFacts(adminSite(r).ID)}), nil
}

// photoFile is the staff's address of a photo's JPEG variant of about width pixels.
func (u adminURLs) photoFile(p twinning.Photo, width int) string {
	vs := p.Page("jpeg")
	if len(vs) == 0 {
		return ""
	}
	v := vs[len(vs)-1]
	for _, x := range vs {
		if x.Width >= width {
			v = x
			break
		}
	}
	return u.list(twinning.PhotoType) + "/files/" + path.Base(twinning.PhotoPath(p.Fingerprint, v))
}
