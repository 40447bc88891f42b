package auth

import (
	"strings"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
)

// MaxPasswordLen bounds what is hashed, in bytes.
const MaxPasswordLen = 1024

// minScore is the least zxcvbn score a password needs: 3 is "safely unguessable" (about 10^8
// guesses or more), which against argon2id means years of an attacker's time per account.
const minScore = 3

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
	WeakKeyboard  Weakness = "keyboard"  // "qwerty", "asdfgh", "1qaz2wsx"
	WeakDate      Weakness = "date"      // dates and years
	WeakWords     Weakness = "words"     // a few common words or names
	WeakGuessable Weakness = "guessable" // too few guesses for any other reason
)

// Weaknesses lists every Weakness, so the web can test it has a message for each.
var Weaknesses = []Weakness{WeakShort, WeakLong, WeakCommon, WeakPersonal, WeakRepeat, WeakSequence,
	WeakKeyboard, WeakDate, WeakWords, WeakGuessable}

// explanations are the command line's words for each Weakness.
var explanations = map[Weakness]string{
	WeakShort:     "is shorter than 12 characters",
	WeakLong:      "is longer than 1024 bytes",
	WeakCommon:    "is one of the most common passwords, or one spelt a little differently",
	WeakPersonal:  "is made of the e-mail address, the site's name or the word for password",
	WeakRepeat:    "repeats characters or groups of them",
	WeakSequence:  "is made of sequences such as 1234 or abcd",
	WeakKeyboard:  "follows a pattern on the keyboard",
	WeakDate:      "is made of dates or years",
	WeakWords:     "is made of a few common words or names",
	WeakGuessable: "is too easy to guess",
}

// Explain says in English why a password is refused.
func (w Weakness) Explain() string { return "the password " + explanations[w] }

// localWords are words of the product's languages and trade that its staff might build a
// password on, checked besides zxcvbn's English lists of common passwords, words and names.
var localWords = []string{"salasana", "lösenord", "losenord", "hasło", "haslo", "parola", "password",
	"ylläpito", "admin", "administrator", "twintowns", "ystävyyskaupunki", "vänort", "gemellaggio", "partner",
	"seinäjoki", "seinajoki", "siedlce", "suomi", "finland", "sverige", "polska", "italia", "kesäkuu",
	"tammikuu", "lokakuu", "qwertyuiopå", "qwertyuiopåasdfghjklöä"}

// CheckStrength judges a password as one to choose: long enough, not too long, and not among
// the passwords that are tried first: the most common ones and variations of them, words and
// names, keyboard patterns, repetitions, sequences, dates, and what is known of the account
// (personal: its e-mail address, the site's names).
func CheckStrength(password string, personal ...string) Weakness {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLen:
		return WeakShort
	case len(password) > MaxPasswordLen:
		return WeakLong
	}
	inputs := append(append([]string(nil), localWords...), personal...)
	for _, p := range personal {
		if local, _, ok := strings.Cut(p, "@"); ok {
			inputs = append(inputs, local)
		}
	}
	r := zxcvbn.PasswordStrength(password, inputs)
	if r.Score >= minScore {
		return ""
	}
	// The part of the password that makes it weakest to guess names the reason.
	var worst *match.Match
	for _, m := range r.Sequence {
		if m.Pattern != "bruteforce" && (worst == nil || len([]rune(m.Token)) > len([]rune(worst.Token))) {
			worst = m
		}
	}
	switch {
	case worst == nil:
		return WeakGuessable
	case worst.Pattern == "dictionary" && worst.DictionaryName == "passwords":
		return WeakCommon
	case worst.Pattern == "dictionary" && worst.DictionaryName == "user_inputs":
		return WeakPersonal
	case worst.Pattern == "dictionary":
		return WeakWords
	case worst.Pattern == "repeat":
		return WeakRepeat
	case worst.Pattern == "sequence":
		return WeakSequence
	case worst.Pattern == "spatial":
		return WeakKeyboard
	case worst.Pattern == "date":
		return WeakDate
	}
	return WeakGuessable
}
