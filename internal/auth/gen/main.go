// Command gen writes the list of the most common passwords that auth.CheckStrength refuses,
// one a line, from zxcvbn's (github.com/trustelem/zxcvbn, MIT; the 30,000 most frequent of
// Xato's 10 million passwords): `go generate ./internal/auth`. The product embeds the file,
// so that the list costs no memory until a password is checked, where importing zxcvbn's
// package would hold it from start-up.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/trustelem/zxcvbn/frequency"
)

func main() {
	out := flag.String("out", "passwords.txt", "output file")
	flag.Parse()
	if err := os.WriteFile(*out, []byte(list()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// list is the file: every password between line feeds, the first and the last too, so that
// a password p is in it when it holds "\n" + p + "\n".
func list() string {
	return "\n" + strings.Join(frequency.FrequencyLists["passwords"], "\n") + "\n"
}
