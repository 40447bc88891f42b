package exchange

import (
	"bytes"
	"strings"
	"testing"
)

// What a file brings is cleaned as a form's values are: control characters dropped, NFC.
func TestReadCleans(t *testing.T) {
	xliff := `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="s" source-language="fi" target-language="it" datatype="plaintext"><body>
<trans-unit id="city/1/name"><source>Vaasa` + "\u0085" + `</source><target>caffe` + "\u0301" + ` e&#x85;basta</target></trans-unit>
</body></file></xliff>`
	po := "msgid \"\"\nmsgstr \"\"\n\"Language: it\\n\"\n\n#. nota\x01\nmsgctxt \"city/1/name\"\nmsgid \"Vaasa\x0b\"\nmsgstr \"caffe\u0301\x01\"\n"
	for name, read := range map[string]func() (File, error){
		"xliff": func() (File, error) { return ReadXLIFF(strings.NewReader(xliff), 1<<20) },
		"po":    func() (File, error) { return ReadPO(bytes.NewReader([]byte(po)), 1<<20) },
	} {
		f, err := read()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if u := f.Units[0]; u.Source != "Vaasa" || !strings.HasPrefix(u.Target, "caffé") || strings.ContainsAny(u.Target+u.Note, "\x01\u0085") {
			t.Errorf("%s: %+v", name, u)
		}
	}
}
