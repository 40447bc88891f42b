package locale

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/language_messages.txt")

// languageParam is a message parameter that holds the name of a language (Languages: a list
// of names): the convention every message file follows.
var languageParam = regexp.MustCompile(`\{\{\.(Language|Languages|From|To)\}\}`)

// labelled is a language name standing as a value: after a label ("kieli: ", "Lingua di
// origine: ") or alone in brackets, and followed by punctuation. A name inside a sentence would
// need the case or article of that sentence ("z języka polskiego", "dal polacco"), which a
// name given in one form cannot follow.
var labelled = regexp.MustCompile(`(: |\()\{\{\.(Language|Languages|From|To)\}\}(\)|\.|;|,|$)`)

var anyParam = regexp.MustCompile(`\{\{\.(\w+)\}\}`)

// languageMessages are the messages of lang's files whose parameters hold a language name, by
// ID.
func languageMessages(t *testing.T, lang string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range MessageFiles(lang) {
		for id, msg := range messages(t, name) {
			if languageParam.MatchString(msg) {
				out[id] = msg
			}
		}
	}
	return out
}

func TestLanguageNamesAreLabelledValues(t *testing.T) {
	for _, lang := range load(t).Languages() {
		for id, msg := range languageMessages(t, lang) {
			if n, ok := len(languageParam.FindAllString(msg, -1)), len(labelled.FindAllString(msg, -1)); n != ok {
				t.Errorf("%s %s = %q: a language name inside a sentence; write it as a labelled value", lang, id, msg)
			}
		}
	}
}

// Every message that takes a language's name, rendered in every language of the product with
// every language as its value, in one file a reviewer reads: testdata/language_messages.txt.
// The test fails when the file differs from what the messages give; rewrite it with
// go test ./internal/locale -run TestLanguageMessages -update and read the diff.
func TestLanguageMessages(t *testing.T) {
	b := load(t)
	langs := b.Languages()
	var out strings.Builder
	out.WriteString("# Every message whose parameters hold a language name, rendered in each language of the\n" +
		"# product with each language as the value (internal/locale/language_params_test.go).\n" +
		"# Rewrite: go test ./internal/locale -run TestLanguageMessages -update\n")
	for _, lang := range langs {
		tr := b.For(lang)
		fmt.Fprintf(&out, "\n== %s (%s) ==\n", lang, tr.Language(lang))
		msgs := languageMessages(t, lang)
		ids := make([]string, 0, len(msgs))
		for id := range msgs {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			fmt.Fprintf(&out, "\n%s\n", id)
			for _, values := range languageValues(msgs[id], langs) {
				var kv []any
				for _, m := range anyParam.FindAllStringSubmatch(msgs[id], -1) {
					kv = append(kv, m[1], sampleValue(tr, m[1], values))
				}
				fmt.Fprintf(&out, "    %s\n", tr.T(id, kv...))
			}
		}
	}
	path := filepath.Join("testdata", "language_messages.txt")
	if *update {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != out.String() {
		t.Errorf("%s is not what the messages give: rewrite it with -update and review the diff", path)
	}
}

// languageValues are the language codes to render msg with: each language, or each pair of
// languages for From and To.
func languageValues(msg string, langs []string) []map[string]string {
	var out []map[string]string
	if strings.Contains(msg, "{{.From}}") {
		for _, from := range langs {
			for _, to := range langs {
				if from != to {
					out = append(out, map[string]string{"From": from, "To": to})
				}
			}
		}
		return out
	}
	for i, l := range langs {
		// a list: this language and the next one
		out = append(out, map[string]string{"Language": l, "Languages": l + " " + langs[(i+1)%len(langs)]})
	}
	return out
}

// sampleValue is what a parameter holds when the message is rendered for the reviewer.
func sampleValue(tr *Translator, param string, values map[string]string) string {
	if codes, ok := values[param]; ok {
		var names []string
		for _, c := range strings.Fields(codes) {
			names = append(names, tr.Language(c))
		}
		return strings.Join(names, ", ")
	}
	switch param {
	case "City", "Name":
		return "Koszalin"
	case "Field":
		return tr.T("admin.field.name")
	case "Date":
		return tr.Date(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	}
	return "‹" + param + "›"
}
