package admin

// PhotosView is a city's photos on its edit page, with the upload form.
type PhotosView struct {
	Rows       []PhotoRow
	UploadURL  string
	Form       Form     // the upload form, as typed after a refused upload
	Langs      []string // the site's languages, an alt text each
	Required   []string // the languages publishing requires
	Licences   []Option
	CanPublish bool
}

// PhotoRow is a photo of a city, in order.
type PhotoRow struct {
	Alt      string // in the staff's language, or the best other
	Thumb    string
	EditURL  string
	StateID  string // draft, published, published with a draft
	Langs    []LangState
	InTrash  bool
	Lead     bool   // the first published photo: the one the public page leads with
	TrashURL string // delete, or restore when in the trash
	MoveURL  string
}

// PhotoFileView is a photo's image on its form, with the form that replaces its file.
type PhotoFileView struct {
	Src           string
	Width, Height int
	CityURL       string
	ReplaceURL    string
	CanReplace    bool
	Error         string // message ID of a refused file
}
