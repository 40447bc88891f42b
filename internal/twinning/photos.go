package twinning

import (
	"regexp"
	"strconv"
)

// PhotoType is a photo of a partner city. Its alt text, what a reader who cannot see the
// photo is told, is its translatable field: like a name it is required in the site's
// required languages before the photo is published, and it goes through the overview, the
// translator's screen and XLIFF and PO exchange as every field does. The credit and the
// licence are its facts. It belongs to its city (Parent): the image comes by upload on the
// city's page of its photos, and lists name the city beside it; the engine gives the photo
// drafts, publishing, history and the trash.
var PhotoType = &Type{
	Name:   "photo",
	Fields: []TextField{{Key: "alt", Kind: FieldLine, Max: 300, Names: true}},
	Facts: []FactField{
		{Key: "credit", Kind: FactText, Required: true, MaxLen: 200, Hint: "admin.hint.credit"},
		{Key: "photo_licence", Kind: FactChoice, Required: true, Default: LicencePermission, Labels: "photo.licence.",
			Choices: []string{LicencePermission, "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0"}},
	},
	Trashable: true,
	Parent:    CityType,
	Store:     "photos",
	Staff:     Staff{Path: "photos"},
}

// LicencePermission is the licence of a photo used with its owner's permission, all rights
// reserved; the others are the Creative Commons licences of Licences.
const LicencePermission = "permission"

// Photo is a published photo of a city, as public pages show it.
type Photo struct {
	ID          int64
	CityID      int64
	Fingerprint string // of the uploaded file: its variants' addresses change with it
	// Width and Height are the upright photo's at the scale of its largest variant.
	Width, Height int
	Variants      []PhotoVariant // by format, narrowest first
	Alt           map[string]string
	Credit        string
	Licence       string
}

// PhotoVariant is one file made from a photo: for pages, or the share image.
type PhotoVariant struct {
	Purpose       string // PurposePage or PurposeShare
	Format        string // "webp" or "jpeg"
	Width, Height int
}

// What a variant is for.
const (
	PurposePage  = "page"
	PurposeShare = "share"
)

// PhotoUpload is an uploaded photo and the files made from it, as the store keeps them.
type PhotoUpload struct {
	Original      []byte
	MediaType     string
	Fingerprint   string
	Width, Height int
	Files         []PhotoFile
}

// PhotoFile is a variant with its bytes.
type PhotoFile struct {
	PhotoVariant
	Body []byte
}

// AltText returns the photo's alt text in lang or, where it has none, in the first language
// of the site's order that has one, and that language.
func (p Photo) AltText(lang string, site Site) (string, string) {
	l, _ := pick(lang, site.fallbackOrder(), func(l string) bool { return p.Alt[l] != "" })
	return p.Alt[l], l
}

// Share returns the photo's share image, when it has one.
func (p Photo) Share() (PhotoVariant, bool) {
	for _, v := range p.Variants {
		if v.Purpose == PurposeShare {
			return v, true
		}
	}
	return PhotoVariant{}, false
}

// Page returns the photo's variants for pages in format, narrowest first.
func (p Photo) Page(format string) []PhotoVariant {
	var out []PhotoVariant
	for _, v := range p.Variants {
		if v.Purpose == PurposePage && v.Format == format {
			out = append(out, v)
		}
	}
	return out
}

// PhotoPath is the address of a photo's variant on the site: the fingerprint of its file, its
// width (or "share") and the format's extension: /photos/0123456789abcdef-960.webp. The one
// place that knows the shape; ParsePhotoPath reads it.
func PhotoPath(fingerprint string, v PhotoVariant) string {
	size := strconv.Itoa(v.Width)
	if v.Purpose == PurposeShare {
		size = PurposeShare
	}
	ext := v.Format
	if ext == "jpeg" {
		ext = "jpg"
	}
	return "/photos/" + fingerprint + "-" + size + "." + ext
}

var photoNameRE = regexp.MustCompile(`^([0-9a-f]{16})-([1-9][0-9]{0,4}|share)\.(webp|jpg)$`)

// ParsePhotoPath reads the last segment of a PhotoPath: the fingerprint and the variant (its
// purpose, format and, for pages, width).
func ParsePhotoPath(name string) (string, PhotoVariant, bool) {
	m := photoNameRE.FindStringSubmatch(name)
	if m == nil {
		return "", PhotoVariant{}, false
	}
	v := PhotoVariant{Purpose: PurposePage, Format: m[3]}
	if v.Format == "jpg" {
		v.Format = "jpeg"
	}
	if m[2] == PurposeShare {
		v.Purpose = PurposeShare
		if v.Format != "jpeg" {
			return "", PhotoVariant{}, false
		}
	} else {
		v.Width, _ = strconv.Atoi(m[2])
	}
	return m[1], v, true
}
