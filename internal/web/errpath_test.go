package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOneErrorPath keeps handlers returning their errors: renderError is called only by the
// adapter s.handle, by middlewares and by the helpers that answer before or around a handler.
// A handler that renders an error inline fails here with its file and name.
func TestOneErrorPath(t *testing.T) {
	allowed := []string{
		"handle",                                   // the adapter every handler goes through
		"cached",                                   // the adapter of the cached public pages
		"routes",                                   // the cross-origin deny handler
		"page",                                     // a staff page that fails to render
		"handleNotFound", "handleMethodNotAllowed", // the router's own answers
		"recoverPanics", "withSite", "withLang", "readBody", // middleware.go
		"sessionError", "requireUser", "requireSite", "requireAdmin", // admin.go
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			checked++
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "renderError" && !slices.Contains(allowed, fn.Name.Name) {
					t.Errorf("%s: %s calls renderError inline; return the error to s.handle instead",
						fset.Position(call.Pos()), fn.Name.Name)
				}
				return true
			})
		}
	}
	if checked == 0 {
		t.Fatal("no functions found: run the test from its package directory")
	}
}
