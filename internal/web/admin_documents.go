package web

import (
	"archive/zip"
	"bytes"
	"cmp"
	"io"
	"net/http"
	"path"
	"strings"

	"twintowns/internal/clean"
	"twintowns/internal/twinning"
)

// maxUpload is the largest document staff can upload.
const maxUpload = 10 << 20

// fileType is what an uploaded file is, judged from its content.
type fileType struct {
	format, mediaType, kind string
}

// sniff tells the type of a document from its bytes, never from its name: PDF, DOC (OLE),
// DOCX and ODT (ZIP with their markers), JPEG, PNG.
func sniff(b []byte) (fileType, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return fileType{"pdf", "application/pdf", "agreement"}, true
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return fileType{"doc", "application/msword", "agreement"}, true
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return fileType{"jpg", "image/jpeg", "image"}, true
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return fileType{"png", "image/png", "image"}, true
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return fileType{}, false
		}
		for _, f := range zr.File {
			switch {
			case f.Name == "word/document.xml":
				return fileType{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "agreement"}, true
			case f.Name == "mimetype":
				rc, err := f.Open()
				if err != nil {
					return fileType{}, false
				}
				mt, _ := io.ReadAll(io.LimitReader(rc, 100))
				rc.Close()
				if string(mt) == "application/vnd.oasis.opendocument.text" {
					return fileType{"odt", string(mt), "agreement"}, true
				}
			}
		}
	}
	return fileType{}, false
}

// handleDocumentUpload stores a document of a city in PostgreSQL.
func (s *Server) handleDocumentUpload(w http.ResponseWriter, r *http.Request) error {
	if err := mayEditFacts(r); err != nil {
		return err
	}
	c, err := s.workingEntry(r, twinning.CityType)
	if err != nil {
		return err
	}
	fail := func(status int, messageID string) error {
		return s.childrenPage(w, r, twinning.CityType, twinning.DocumentType, status, messageID)
	}
	if err := r.ParseMultipartForm(multipartMemory); err != nil { // its route read it (limitUpload)
		return fail(http.StatusBadRequest, "validation.upload_missing")
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		return fail(http.StatusUnprocessableEntity, "validation.upload_missing")
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, maxUpload+1))
	if err != nil {
		return err
	}
	switch {
	case len(content) == 0:
		return fail(http.StatusUnprocessableEntity, "validation.upload_missing")
	case len(content) > maxUpload:
		return fail(http.StatusRequestEntityTooLarge, "validation.upload_size")
	}
	ft, ok := sniff(content)
	if !ok {
		return fail(http.StatusUnsupportedMediaType, "validation.upload_type")
	}
	titles := map[string]string{}
	for _, l := range adminSite(r).Languages {
		if t := strings.TrimSpace(clean.Text(r.FormValue("title_" + l))); t != "" {
			titles[l] = t
		}
	}
	name := strings.TrimSpace(clean.Text(strings.TrimSuffix(path.Base(header.Filename), path.Ext(header.Filename))))
	if len(titles) == 0 {
		titles[adminSite(r).DefaultLang] = cmp.Or(name, clean.Text(path.Base(header.Filename)))
	}
	// the store transliterates and numbers the name into a slug
	a := twinning.Attachment{Slug: name, Kind: ft.kind, Format: ft.format, MediaType: ft.mediaType, Titles: titles}
	if err := s.admin.AddAttachment(r.Context(), adminSite(r).ID, c.ID, a, content, s.actor(r)); err != nil {
		return err
	}
	flash(r, "admin.flash.uploaded")
	http.Redirect(w, r, s.urls(r).entry(twinning.CityType, c.ID)+"/"+twinning.DocumentType.Staff.Path, http.StatusSeeOther)
	return nil
}
