package exchange

import (
	"slices"

	"twintowns/internal/clean"
)

// Clean returns f with the text of every unit cleaned as every text is on the way in
// (clean.Text): no control characters but tab and line breaks, NFC. ReadXLIFF and ReadPO
// return their units cleaned; an export cleans what it writes, so that text stored before
// cleaning never makes WriteXLIFF or WritePO refuse a file.
func Clean(f File) File {
	f.Units = slices.Clone(f.Units)
	for i := range f.Units {
		u := &f.Units[i]
		u.Resname, u.Source, u.Target, u.Note = clean.Text(u.Resname), clean.Text(u.Source), clean.Text(u.Target), clean.Text(u.Note)
	}
	return f
}
