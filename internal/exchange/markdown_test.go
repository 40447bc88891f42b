package exchange

import (
	"errors"
	"strings"
	"testing"
)

func TestSplitMarkdown(t *testing.T) {
	tests := []struct{ src, want string }{
		{"Dasing to [gmina](https://x.y \"t\") w *Bawarii*.", `Dasing to {1}gmina{/1} w {2}Bawarii{/2}.`},
		{"**Siedlce** i __Dasing__, ![mapa](m.png)", `{1}Siedlce{/1} i {2}Dasing{/2}, {3}mapa{/3}`},
		{"## Historia\n\n- raz\n- dwa\n\n1. trzy\n  2) cztery", "{1}Historia\n\n{2}raz\n{3}dwa\n\n{4}trzy\n{5}cztery"},
		{"> cytat\n> dalej", "{1}cytat\n{2}dalej"},
		{"kod `x = 1` i <https://a.b> koniec", "kod {1} i {2} koniec"},
		{"*[link](u)* i [**b**](v)", "{1}{2}link{/2}{/1} i {3}{4}b{/4}{/3}"},
		{"snake_case_word a*b*c 2 * 3", "snake_case_word a{1}b{/1}c 2 * 3"},
		{`\*nie\* &amp; (nawias) [x](a(b)c)`, `\*nie\* &amp; (nawias) {1}x{/1}`},
		{"  spacje  \n\n", "  spacje  \n\n"},
		{"", ""},
	}
	for _, tc := range tests {
		ps := splitMarkdown(tc.src)
		if joined(ps) != tc.src {
			t.Errorf("%q: pieces join to %q", tc.src, joined(ps))
		}
		if got := placeholders(ps); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
		if got, err := Restore(placeholders(ps), tc.src); err != nil || got != tc.src {
			t.Errorf("%q: restored %q, %v", tc.src, got, err)
		}
	}
}

// A translation's codes take the ids of the same marks in the source; marks the source does
// not have stay text.
func TestAlike(t *testing.T) {
	src := splitMarkdown("Dasing to [gmina](https://x.y) w *Bawarii* i [Polsce](https://p.l).\n\n- raz")
	tgt := splitMarkdown("- uno\n\nDasing è in *Baviera*, [Polonia](https://p.l) e [comune](https://x.y) e [altro](https://z).")
	got := placeholders(alike(src, tgt))
	want := "{4}uno\n\nDasing è in {2}Baviera{/2}, {3}Polonia{/3} e {1}comune{/1} e [altro](https://z)."
	if got != want {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
}

func TestRestoreRefusesBrokenCodes(t *testing.T) {
	src := "Dasing to [gmina](https://x.y) w *Bawarii*.\n\n- raz"
	tests := []struct {
		target string
		want   CodeProblem
		code   string
	}{
		{"Dasing è {1}comune{/1} in {9}Baviera.", CodeUnknown, "{9}"},
		{"Dasing è {1}comune{/1} {1}x{/1}.", CodeTwice, "{1}"},
		{"Dasing è {1}comune in Baviera.", CodeUnpaired, "{1}"},
		{"Dasing è comune{/1} in Baviera.", CodeCrossed, "{/1}"},
		{"Dasing è {1}comune {2}in{/1} Baviera{/2}.", CodeCrossed, "{/1}"},
		{"Dasing è {/3}.", CodeUnknown, "{/3}"},
		{"Dasing è {3}comune{/3}.", CodeUnknown, "{/3}"},
	}
	for _, tc := range tests {
		_, err := Restore(tc.target, src)
		var ce *CodeError
		if !errors.As(err, &ce) || ce.Problem != tc.want || ce.Code != tc.code {
			t.Errorf("%q: %v, want %s %s", tc.target, err, tc.want, tc.code)
		}
	}
	// a mark may be left out, and text without placeholders is kept as it is
	for _, ok := range []string{"Dasing è un comune.", "{3}uno e {2}due{/2}", "Testo {con graffe}"} {
		if got, err := Restore(ok, src); err != nil || strings.Contains(got, "{3}") {
			t.Errorf("%q: %q %v", ok, got, err)
		}
	}
}

// Codes a CAT tool kept in a target come back as the source has them, whatever the tool
// wrote inside; broken ones make the unit's Problem, not the file's.
func TestReadXLIFFRestoresCodes(t *testing.T) {
	doc := `<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="x" source-language="pl" target-language="it" datatype="x-markdown"><body>
<trans-unit id="ok" xml:space="preserve"><source>Zobacz <bpt id="1" ctype="link">[</bpt>mapę<ept id="1">](https://x.y)</ept>.</source><target>Vedi la <bpt id="1">[</bpt>mappa<ept id="1">](https://evil.example)</ept>.</target></trans-unit>
<trans-unit id="g" xml:space="preserve"><source>Zobacz <bpt id="1" ctype="link">[</bpt>mapę<ept id="1">](https://x.y)</ept>.</source><target>Vedi la <g id="1">mappa</g>.</target></trans-unit>
<trans-unit id="broken" xml:space="preserve"><source>Zobacz <bpt id="1" ctype="link">[</bpt>mapę<ept id="1">](https://x.y)</ept>.</source><target>Vedi la <bpt id="1">[</bpt>mappa.</target></trans-unit>
<trans-unit id="po" xml:space="preserve"><source>Zobacz {1}mapę{/1}.</source><target>Vedi la {1}mappa{/1}.</target></trans-unit>
</body></file></xliff>`
	f, err := ReadXLIFF(strings.NewReader(doc), testLimit)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ok": "Vedi la [mappa](https://x.y).", "g": "Vedi la [mappa](https://x.y).", "po": "Vedi la {1}mappa{/1}."}
	for _, u := range f.Units {
		if w, ok := want[u.ID]; ok && (u.Target != w || u.Problem != nil) {
			t.Errorf("%s: %q %v", u.ID, u.Target, u.Problem)
		}
	}
	if p := f.Units[2].Problem; p == nil || p.Problem != CodeUnpaired {
		t.Errorf("broken: %v", p)
	}
	if got, err := Restore(f.Units[3].Target, "Zobacz [mapę](https://x.y)."); err != nil || got != "Vedi la [mappa](https://x.y)." {
		t.Errorf("po placeholders: %q %v", got, err)
	}
}

func TestPlainText(t *testing.T) {
	if got := Words(PlainText("## Historia\n\n**Siedlce** i [Dasing](https://example.org/a-b-c)")); got != 4 {
		t.Errorf("%d words in %q", got, PlainText("## Historia\n\n**Siedlce** i [Dasing](https://example.org/a-b-c)"))
	}
}

// Whatever the text, its pieces join to it, and its placeholders restore it.
func FuzzSplitMarkdown(f *testing.F) {
	for _, s := range []string{"Dasing to [gmina](https://x.y) w *Bawarii*.", "- a\n  - b\n\n> c *d*", "**[x](y)**", "`a` <b> ![c](d \"e\")", "*a **b* c**", "[a](<b c>)", "\\[x](y)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		ps := splitMarkdown(src)
		if joined(ps) != src {
			t.Fatalf("%q joins to %q", src, joined(ps))
		}
		if strings.Contains(src, "{") {
			return
		}
		if got, err := Restore(placeholders(ps), src); err != nil || got != src {
			t.Fatalf("%q restored as %q, %v", src, got, err)
		}
	})
}
