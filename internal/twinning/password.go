package twinning

// GuessableWords are what is known of an account and could be guessed from it, for the
// password check: its e-mail address and the slugs and names of the sites.
func GuessableWords(email string, sites []Site) []string {
	words := []string{email}
	for _, site := range sites {
		words = append(words, site.Slug)
		for _, t := range site.Texts {
			words = append(words, t.Name)
		}
	}
	return words
}
