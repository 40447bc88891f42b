package admin

import (
	"context"
	"testing"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

func TestFormHelpers(t *testing.T) {
	a := twinning.Fact("a")
	f := Form{Rows: 2, Errors: twinning.FieldErrors{a: "validation.required"}}
	if got := describedBy(f, a, true); got != "a-hint a-error" {
		t.Errorf("describedBy = %q", got)
	}
	if got := describedBy(f, twinning.Fact("b"), false); got != "" {
		t.Errorf("describedBy without hint or error = %q", got)
	}
	if rows := f.RowIndexes(2); len(rows) != 4 || rows[3] != 3 {
		t.Errorf("RowIndexes = %v", rows)
	}
	if r := withRows(nil); r["rows"] != "6" {
		t.Error("default rows")
	}
	if r := withRows(map[string]any{"rows": "2"}); r["rows"] != "2" {
		t.Error("rows override")
	}
	f.Errors[twinning.TextKey("name", "sv")] = "x"
	f.Errors[twinning.RowKey("link_url", 1)] = "x"
	if keys := errorKeys(f); len(keys) != 3 || keys[0] != a || keys[2].Lang != "sv" {
		t.Errorf("errorKeys = %v", keys)
	}
}

func TestFieldNames(t *testing.T) {
	b, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := locale.WithTranslator(context.Background(), b.For("fi"))
	if got := fieldName(ctx, twinning.TextKey("name", "sv")); got != "Nimi (kieli: ruotsi)" {
		t.Errorf("fieldName(name_sv) = %q", got)
	}
	if got := fieldName(ctx, twinning.RowKey("link_url", 3)); got != b.For("fi").T("admin.field.link_url") {
		t.Errorf("fieldName(link_url_3) = %q", got)
	}
	langs := []LangState{{Lang: "sv"}, {Lang: "it"}, {Lang: "pl"}, {Lang: "fi"}}
	opts := translatedFrom(ctx, langs, "fi")
	if len(opts) != 4 || opts[0].Value != "" {
		t.Errorf("translatedFrom = %v", opts)
	}
}
