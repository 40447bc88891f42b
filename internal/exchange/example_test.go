package exchange_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"twintowns/internal/exchange"
)

func ExampleWriteXLIFF() {
	f := exchange.File{
		SourceLang: "pl", TargetLang: "it", Original: "twintowns:siedlce", Tool: "twintowns",
		Units: []exchange.Unit{{
			ID: "city/12/description", Resname: "Siedlce: Opis", Datatype: exchange.DatatypeMarkdown,
			Source: "**Siedlce** leży\nna Mazowszu.", Note: "Entry Siedlce, field description, shown on its page",
		}},
	}
	if err := exchange.WriteXLIFF(os.Stdout, f); err != nil {
		fmt.Println(err)
	}
	fmt.Println(exchange.FileName("siedlce", "pl", "it", "missing-outdated", "",
		time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), exchange.FormatXLIFF))
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
	//   <file original="twintowns:siedlce" source-language="pl" target-language="it" datatype="plaintext" tool-id="twintowns">
	//     <header>
	//       <tool tool-id="twintowns" tool-name="twintowns"></tool>
	//     </header>
	//     <body>
	//       <trans-unit id="city/12/description" resname="Siedlce: Opis" datatype="x-markdown" xml:space="preserve">
	//         <source xml:lang="pl" xml:space="preserve"><bpt id="1" ctype="bold">**</bpt>Siedlce<ept id="1">**</ept> leży
	// na Mazowszu.</source>
	//         <note from="twintowns">Entry Siedlce, field description, shown on its page</note>
	//       </trans-unit>
	//     </body>
	//   </file>
	// </xliff>
	// siedlce_pl-it_missing-outdated_2026-11-23.xlf
}

func ExampleReadXLIFF() {
	in := `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
<file original="twintowns:siedlce" source-language="pl" target-language="it-IT" datatype="plaintext"><body>
<trans-unit id="city/12/name"><source>Siedlce</source><target state="translated">Siedlce</target></trans-unit>
<trans-unit id="city/12/name"><source>Siedlce</source></trans-unit>
</body></file></xliff>`
	_, err := exchange.ReadXLIFF(strings.NewReader(in), 10<<20)
	var e *exchange.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Unit, errors.Is(err, exchange.ErrDuplicateID))
	}

	f, err := exchange.ReadXLIFF(strings.NewReader(strings.Replace(in, `<trans-unit id="city/12/name"><source>Siedlce</source></trans-unit>`, "", 1)), 10<<20)
	if err != nil {
		fmt.Println(err)
		return
	}
	u := f.Units[0]
	fmt.Println(f.Original, exchange.SameLanguage(f.TargetLang, "it"), u.ID, u.Target, u.State.Done())
	// Output:
	// duplicate_id city/12/name true
	// twintowns:siedlce true city/12/name Siedlce true
}

func ExampleReadPO() {
	var buf bytes.Buffer
	_ = exchange.WritePO(&buf, exchange.File{
		SourceLang: "fi", TargetLang: "sv", Original: "twintowns:seinajoki",
		Units: []exchange.Unit{{ID: "city/7/name", Source: "Seinäjoki", Note: "Entry Seinäjoki, field name"}},
	})
	fmt.Print(buf.String())
	// A translator fills the msgstr in Weblate.
	filled := strings.Replace(buf.String(), "msgid \"Seinäjoki\"\nmsgstr \"\"", "msgid \"Seinäjoki\"\nmsgstr \"Östermyra\"", 1)
	f, err := exchange.ReadPO(strings.NewReader(filled), 10<<20)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Units[0].ID, f.Units[0].Target, f.Units[0].State)
	// Output:
	// msgid ""
	// msgstr ""
	// "Project-Id-Version: twintowns:seinajoki\n"
	// "Language: sv\n"
	// "MIME-Version: 1.0\n"
	// "Content-Type: text/plain; charset=UTF-8\n"
	// "Content-Transfer-Encoding: 8bit\n"
	// "X-Source-Language: fi\n"
	//
	// #. Entry Seinäjoki, field name
	// msgctxt "city/7/name"
	// msgid "Seinäjoki"
	// msgstr ""
	// city/7/name Östermyra translated
}
