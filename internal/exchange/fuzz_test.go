package exchange

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// seeds adds the fixtures, a written sample and a few broken files to a fuzz corpus.
func seeds(f *testing.F, pattern string, write func(*bytes.Buffer, File) error, broken ...string) {
	paths, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	var buf bytes.Buffer
	if err := write(&buf, sample()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	for _, b := range broken {
		f.Add([]byte(b))
	}
}

// fuzzRoundTrip checks data is read or refused with a typed error, and that what is read
// writes and reads back with the same units.
func fuzzRoundTrip(t *testing.T, data []byte, read func(io.Reader, int64) (File, error), write func(io.Writer, File) error) {
	file, err := read(bytes.NewReader(data), 1<<20)
	if err != nil {
		if CodeOf(err) == "" {
			t.Fatalf("untyped error: %v", err)
		}
		return
	}
	var buf bytes.Buffer
	if err := write(&buf, file); err != nil {
		if CodeOf(err) == "" {
			t.Fatalf("untyped error writing: %v", err)
		}
		return
	}
	again, err := read(bytes.NewReader(buf.Bytes()), 1<<22)
	if err != nil {
		t.Fatalf("reading what was written: %v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(again.Units, file.Units) {
		t.Fatalf("units changed\n got %#v\nwant %#v\n%s", again.Units, file.Units, buf.String())
	}
}

func FuzzReadXLIFF(f *testing.F) {
	seeds(f, "*.xlf", func(b *bytes.Buffer, fl File) error { return WriteXLIFF(b, fl) },
		`<!DOCTYPE x [<!ENTITY a "aaaa">]><xliff/>`,
		`<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="o" source-language="pl" target-language="it" datatype="plaintext"><body><trans-unit id="a"><source>s<g id="1">t</g></source><target><mrk mtype="seg" mid="1">x</mrk><x id="2"/></target></trans-unit></body></file></xliff>`)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, data, ReadXLIFF, WriteXLIFF) })
}

func FuzzReadPO(f *testing.F) {
	seeds(f, "*.po", func(b *bytes.Buffer, fl File) error { return WritePO(b, fl) },
		"msgid \"\"\nmsgstr \"\"\n\"Language: it\\n\"\n\n#, fuzzy\nmsgctxt \"a\"\nmsgid \"s\"\nmsgstr[0] \"t\"\n",
		"msgctxt \"a\"\nmsgid \"\"\n\"x\\\"y\"\nmsgstr \"\\t\"\n")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, data, ReadPO, WritePO) })
}
