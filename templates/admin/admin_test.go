package admin

import (
	"context"
	"testing"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

func TestFormHelpers(t *testing.T) {
	f := Form{Values: map[string]string{"links": "2", "a": "x"}, Errors: twinning.FieldErrors{"a": "validation.required"}}
	if got := describedBy(f, "a", true); got != "a-hint a-error" {
		t.Errorf("describedBy = %q", got)
	}
	if got := describedBy(f, "b", false); got != "" {
		t.Errorf("describedBy without hint or error = %q", got)
	}
	if rows := f.LinkRows(2); len(rows) != 4 || rows[3] != "3" {
		t.Errorf("LinkRows = %v", rows)
	}
	if plusOne("0") != "1" {
		t.Error("plusOne")
	}
	if r := withRows(nil); r["rows"] != "6" {
		t.Error("default rows")
	}
	if r := withRows(map[string]any{"rows": "2"}); r["rows"] != "2" {
		t.Error("rows override")
	}
}

func TestFieldNames(t *testing.T) {
	b, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := locale.WithTranslator(context.Background(), b.For("fi"))
	if got := fieldName(ctx, "name_sv"); got != "Nimi (ruotsi)" {
		t.Errorf("fieldName(name_sv) = %q", got)
	}
	if got := fieldName(ctx, "link_url_3"); got != b.For("fi").T("admin.field.link_url") {
		t.Errorf("fieldName(link_url_3) = %q", got)
	}
	opts := translatedFrom(ctx, "fi")
	if len(opts) != 4 || opts[0].Value != "" {
		t.Errorf("translatedFrom = %v", opts)
	}
}
