package auth

import (
	_ "embed"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:generate go run ./gen -out passwords.txt

// commonPasswords are the 30,000 most common passwords, each between line feeds (see gen).
//
//go:embed passwords.txt
var commonPasswords string

// MaxPasswordLen bounds what is hashed, in bytes.
const MaxPasswordLen = 1024

// minFree is how many characters of a password must be left once everything cheap to guess
// is taken out of it (see CheckStrength).
const minFree = 6

// Weakness is why a password is refused; "" when it is not.
type Weakness string

// Weaknesses, from the checks that come first. The web shows "validation.password_" +
// weakness in the staff member's language; the command line Explain's English.
const (
	WeakShort     Weakness = "short"     // fewer than MinPasswordLen characters
	WeakLong      Weakness = "long"      // more than MaxPasswordLen bytes
	WeakCommon    Weakness = "common"    // one of the most common passwords, or one spelt a little differently
	WeakPersonal  Weakness = "personal"  // made of the account's address, the site's name or the word "password"
	WeakRepeat    Weakness = "repeat"    // a character or a group repeated: "aaaa", "abcabc", spaces
	WeakSequence  Weakness = "sequence"  // "1234", "abcd", "9876"
	WeakKeyboard  Weakness = "keyboard"  // "qwerty", "asdfgh"
	WeakDate      Weakness = "date"      // dates, years and other runs of digits
	WeakGuessable Weakness = "guessable" // too little left once the above are taken out
)

// Weaknesses lists every Weakness, so the web can test it has a message for each.
var Weaknesses = []Weakness{WeakShort, WeakLong, WeakCommon, WeakPersonal, WeakRepeat, WeakSequence,
	WeakKeyboard, WeakDate, WeakGuessable}

// explanations are the command line's words for each Weakness.
var explanations = map[Weakness]string{
	WeakShort:     "is shorter than 12 characters",
	WeakLong:      "is longer than 1024 bytes",
	WeakCommon:    "is one of the most common passwords, or one spelt a little differently",
	WeakPersonal:  "is made of the e-mail address, the site's name or the word for password",
	WeakRepeat:    "repeats characters or groups of them",
	WeakSequence:  "is made of sequences such as 1234 or abcd",
	WeakKeyboard:  "follows a pattern on the keyboard",
	WeakDate:      "is made of dates, years or other digits",
	WeakGuessable: "is too easy to guess",
}

// Explain says in English why a password is refused.
func (w Weakness) Explain() string { return "the password " + explanations[w] }

// localWords are words of the product's languages and trade a password might be built on.
var localWords = []string{"salasana", "lösenord", "losenord", "hasło", "haslo", "parola", "password",
	"ylläpito", "admin", "administrator", "twintowns", "ystävyyskaupunki", "vänort", "gemellaggio"}

// fold writes the letters of the product's languages without their marks, one letter for
// one, so that "Seinäjoki" is found in "seinajoki2024".
var fold = strings.NewReplacer("ä", "a", "å", "a", "ö", "o", "ą", "a", "ć", "c", "ę", "e", "ł", "l", "ń", "n",
	"ó", "o", "ś", "s", "ź", "z", "ż", "z", "à", "a", "è", "e", "é", "e", "ì", "i", "ò", "o", "ù", "u")

// keyboardRows are the rows of the QWERTY, QWERTZ, AZERTY and Nordic layouts.
var keyboardRows = []string{"1234567890", "qwertyuiopa", "asdfghjkloa", "zxcvbnm", "qwertzuiop",
	"yxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn"}

// leet undoes the usual look-alike spellings: "P@ssw0rd" is "password".
var leet = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "i", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t", "+", "t")

// CheckStrength judges a password as one to choose (NIST SP 800-63B, ASVS 2.1.7): long
// enough, not too long, not one of the 30,000 most common passwords (zxcvbn's list) nor one
// of them with digits or symbols around it, spelt backwards or in look-alike characters;
// and not made of what is tried next. Taken out of it are the words of personal (the
// account's address, the sites' names) and of the product's languages ("salasana",
// "hasło"), keyboard runs, sequences, repeated characters and runs of digits: fewer than 6
// characters left, or only a repeated group, and it is refused, with the reason that took
// out most. The list is embedded and read only while a password is checked: it costs no
// memory otherwise.
func CheckStrength(password string, personal ...string) Weakness {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLen:
		return WeakShort
	case len(password) > MaxPasswordLen:
		return WeakLong
	}
	lower := strings.ToLower(password)
	if common(lower) {
		return WeakCommon
	}
	if periodic([]rune(lower)) {
		return WeakRepeat
	}
	words := slices.Clone(localWords)
	for _, p := range personal {
		p = strings.ToLower(strings.TrimSpace(p))
		local, domain, _ := strings.Cut(p, "@")
		words = append(words, p, local)
		words = append(words, strings.FieldsFunc(domain+" "+local, func(c rune) bool { return !unicode.IsLetter(c) })...)
	}
	for i, w := range words {
		words[i] = fold.Replace(w)
	}
	r := []rune(fold.Replace(lower))
	taken := make([]Weakness, len(r)) // what takes out each character, "" for none
	takeWords(r, taken, words)
	takeRuns(r, taken)
	counts := map[Weakness]int{}
	var left []rune
	for i, w := range taken {
		if w == "" {
			left = append(left, r[i])
		} else {
			counts[w]++
		}
	}
	rest := strings.TrimFunc(string(left), func(c rune) bool { return !unicode.IsLetter(c) })
	if utf8.RuneCountInString(rest) >= minFree && !common(rest) && !periodic([]rune(rest)) {
		return ""
	}
	worst, most := WeakGuessable, 0
	for _, w := range Weaknesses {
		if counts[w] > most {
			worst, most = w, counts[w]
		}
	}
	if worst == WeakGuessable && common(rest) {
		return WeakCommon
	}
	return worst
}

// common reports whether s is one of the most common passwords: as it is, backwards,
// without the digits and symbols around it, or in look-alike characters.
func common(s string) bool {
	bare := func(s string) string {
		return strings.TrimFunc(s, func(c rune) bool { return !unicode.IsLetter(c) })
	}
	candidates := []string{s, reverse(s), bare(s), leet.Replace(s), bare(leet.Replace(bare(s)))}
	for _, c := range candidates {
		if len(c) >= 4 && !strings.Contains(c, "\n") && strings.Contains(commonPasswords, "\n"+c+"\n") {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// periodic reports whether r is one group repeated, or has at most 3 different characters.
func periodic(r []rune) bool {
	distinct := map[rune]bool{}
	for _, c := range r {
		distinct[c] = true
	}
	if len(distinct) <= 3 {
		return true
	}
	for p := 1; p <= len(r)/2; p++ {
		if len(r)%p == 0 && slices.Equal(r[p:], r[:len(r)-p]) {
			return true
		}
	}
	return false
}

// takeWords marks where the words (4 characters or more) appear in r.
func takeWords(r []rune, taken []Weakness, words []string) {
	for _, w := range words {
		wr := []rune(w)
		if len(wr) < 4 {
			continue
		}
		for i := 0; i+len(wr) <= len(r); i++ {
			if slices.Equal(r[i:i+len(wr)], wr) {
				for j := i; j < i+len(wr); j++ {
					taken[j] = WeakPersonal
				}
			}
		}
	}
}

// takeRuns marks the runs of 4 or more characters that follow a keyboard row or a sequence
// (either way), that repeat one character 3 times or more, and the runs of 4 or more digits.
func takeRuns(r []rune, taken []Weakness) {
	mark := func(from, to int, w Weakness) {
		for j := from; j < to; j++ {
			if taken[j] == "" {
				taken[j] = w
			}
		}
	}
	for i := 0; i < len(r); {
		n := 1
		for i+n < len(r) && r[i+n] == r[i] {
			n++
		}
		if n >= 3 {
			mark(i, i+n, WeakRepeat)
		}
		i += n
	}
	for _, step := range []int{1, -1} {
		for i := 0; i < len(r); i++ {
			n := 1
			for i+n < len(r) && int(r[i+n])-int(r[i+n-1]) == step {
				n++
			}
			if n >= 4 {
				mark(i, i+n, WeakSequence)
			}
		}
	}
	for _, row := range keyboardRows {
		for _, line := range []string{row, reverse(row)} {
			lr := []rune(line)
			for i := 0; i < len(r); i++ {
				k := slices.Index(lr, r[i])
				if k < 0 {
					continue
				}
				n := 1
				for i+n < len(r) && k+n < len(lr) && r[i+n] == lr[k+n] {
					n++
				}
				if n >= 4 {
					mark(i, i+n, WeakKeyboard)
				}
			}
		}
	}
	for i := 0; i < len(r); {
		n := 0
		for i+n < len(r) && unicode.IsDigit(r[i+n]) {
			n++
		}
		if n >= 4 {
			mark(i, i+n, WeakDate)
		}
		i += max(n, 1)
	}
}
