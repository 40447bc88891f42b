package web

import (
	"encoding/csv"
	"io"
	"regexp"
)

// csvWriter is how the product writes every CSV: RFC 4180 with CRLF line ends, and each cell
// made safe for spreadsheets (safeCell), since cells come from content staff type.
type csvWriter struct{ *csv.Writer }

func newCSV(w io.Writer) csvWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return csvWriter{cw}
}

// Write writes one row, every cell through safeCell.
func (c csvWriter) Write(record []string) error {
	safe := make([]string, len(record))
	for i, v := range record {
		safe[i] = safeCell(v)
	}
	return c.Writer.Write(safe)
}

// number is a cell a spreadsheet reads as a plain number: "-89.25", "+358", "1e3".
var number = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// safeCell neutralises a cell a spreadsheet would run as a formula, as OWASP recommends for
// CSV injection: a cell that begins with = + - @, a tab or a carriage return gets a leading
// apostrophe, unless it is a number.
func safeCell(s string) string {
	if s == "" || number.MatchString(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
