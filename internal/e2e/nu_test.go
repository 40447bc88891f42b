package e2e

import (
	"cmp"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// checkNu runs the W3C Nu Html Checker (vnu.jar of npm vnu-jar, on Debian's Java: make test
// installs both) on the HTML files of dir, once for all: each error it finds fails the test.
func checkNu(t *testing.T, dir string) {
	t.Helper()
	jar := cmp.Or(os.Getenv("VNU_JAR"), filepath.Join(repoRoot(t), "var", "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
	if _, err := os.Stat(jar); err != nil {
		t.Fatalf("the Nu checker is not installed (make test installs it): %v", err)
	}
	out, err := exec.Command("java", "-jar", jar, "--errors-only", "--format", "json", "--stdout", "--skip-non-html", dir).Output()
	var res struct {
		Messages []struct {
			Type, URL, Message, Extract string
			LastLine                    int `json:"lastLine"`
		}
	}
	if jerr := json.Unmarshal(out, &res); jerr != nil {
		t.Fatalf("the Nu checker: %v, %v\n%s", err, jerr, out)
	}
	for _, m := range res.Messages {
		t.Errorf("Nu checker, %s line %d: %s (%s): %q", filepath.Base(m.URL), m.LastLine, m.Message, m.Type, m.Extract)
	}
	if err != nil && len(res.Messages) == 0 {
		t.Fatalf("the Nu checker: %v", err)
	}
}
