package exchange

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// benchFile is a large site: 2000 fields of a few paragraphs of Markdown each.
func benchFile() File {
	f := sample()
	f.Units = nil
	text := strings.Repeat("**Siedlce** leży nad _Muchawką_, zażółć gęślą jaźń & <więcej>.\n\n", 8)
	for i := range 2000 {
		f.Units = append(f.Units, Unit{ID: fmt.Sprintf("city/%d/description", i), Source: text,
			Target: text, HasTarget: true, State: StateTranslated, Note: "Entry, field description"})
	}
	return f
}

func benchmarkFormat(b *testing.B, write func(*bytes.Buffer, File) error, read func(*bytes.Buffer) error) {
	f := benchFile()
	var buf bytes.Buffer
	if err := write(&buf, f); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.Run("write", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var out bytes.Buffer
			if err := write(&out, f); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := read(bytes.NewBuffer(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkXLIFF(b *testing.B) {
	benchmarkFormat(b, func(w *bytes.Buffer, f File) error { return WriteXLIFF(w, f) },
		func(r *bytes.Buffer) error { _, err := ReadXLIFF(r, 1<<30); return err })
}

func BenchmarkPO(b *testing.B) {
	benchmarkFormat(b, func(w *bytes.Buffer, f File) error { return WritePO(w, f) },
		func(r *bytes.Buffer) error { _, err := ReadPO(r, 1<<30); return err })
}
