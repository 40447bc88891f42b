package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"twintowns/internal/auth"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
)

// userCommand manages staff accounts: add, list, disable, enable, password.
func userCommand(ctx context.Context, db *postgres.DB, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("user: add, list, disable, enable or password")
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "the account's email address")
	role := fs.String("role", "", "administrator, editor (of -site) or translator (of -site and -lang)")
	var sites, langs []string
	fs.Func("site", "slug of a site of an editor or translator (seinajoki, siedlce, ...); repeatable", func(v string) error {
		sites = append(sites, v)
		return nil
	})
	fs.Func("lang", "a language of a translator (sv, it, pl, fi); repeatable", func(v string) error {
		langs = append(langs, v)
		return nil
	})
	admin := fs.Bool("admin", false, "shorthand for -role administrator")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	needEmail := func() error {
		if *email == "" {
			return errors.New("user: -email is required")
		}
		return nil
	}
	switch args[0] {
	case "add":
		if err := needEmail(); err != nil {
			return err
		}
		u := twinning.User{Email: *email, Role: twinning.Role(*role), Langs: langs}
		switch {
		case *admin && *role != "" && u.Role != twinning.RoleAdministrator:
			return errors.New("user add: -admin and -role " + *role + " contradict each other")
		case *admin:
			u.Role = twinning.RoleAdministrator
		case *role == "" && len(sites) > 0: // the old form: -site S makes an editor
			u.Role = twinning.RoleEditor
		case *role == "":
			return errors.New("user add: -role administrator|editor|translator (or -admin, or -site SLUG) is required")
		}
		for _, slug := range sites {
			site, err := db.SiteBySlug(ctx, slug)
			if err != nil {
				return err
			}
			u.Sites = append(u.Sites, site.ID)
		}
		hash, err := readPassword(stdin, guessableWords(ctx, db, *email)...)
		if err != nil {
			return err
		}
		u, err = db.AddUser(ctx, u, hash, twinning.Actor{Address: "command line"})
		if err != nil {
			return describeUserError(err)
		}
		fmt.Fprintf(stdout, "user %s added (id %d, %s)\n", u.Email, u.ID, u.Role)
	case "list":
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		all, err := db.Sites(ctx)
		if err != nil {
			return err
		}
		slugs := map[int64]string{}
		for _, s := range all {
			slugs[s.ID] = s.Slug
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tROLE\tSITES\tLANGUAGES\tDISABLED")
		for _, u := range users {
			disabled := ""
			if u.DisabledAt != nil {
				disabled = u.DisabledAt.Format("2006-01-02")
			}
			var names []string
			for _, id := range u.Sites {
				names = append(names, slugs[id])
			}
			slices.Sort(names)
			sites := strings.Join(names, ",")
			if u.Role == twinning.RoleAdministrator {
				sites = "*"
			}
			langs := strings.Join(u.Langs, ",")
			if u.Role != twinning.RoleTranslator {
				langs = "*"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Role, sites, langs, disabled)
		}
		return tw.Flush()
	case "disable", "enable":
		if err := needEmail(); err != nil {
			return err
		}
		u, _, err := db.UserByEmail(ctx, *email)
		if err != nil {
			return err
		}
		if err := db.SetUserDisabled(ctx, u.ID, args[0] == "disable", twinning.Actor{Address: "command line"}); err != nil {
			return describeUserError(err)
		}
		fmt.Fprintf(stdout, "user %s %sd\n", u.Email, args[0])
	case "password":
		if err := needEmail(); err != nil {
			return err
		}
		hash, err := readPassword(stdin, guessableWords(ctx, db, *email)...)
		if err != nil {
			return err
		}
		if err := db.SetPassword(ctx, *email, hash); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; the account's sessions have ended\n", *email)
	default:
		return fmt.Errorf("user: unknown subcommand %q", args[0])
	}
	return nil
}

// guessableWords are the words a password of the account must not be made of.
func guessableWords(ctx context.Context, db *postgres.DB, email string) []string {
	sites, _ := db.Sites(ctx)
	return twinning.GuessableWords(email, sites)
}

// describeUserError names the fields of a validation error in the command line's terms.
func describeUserError(err error) error {
	var v *twinning.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	var parts []string
	for field, message := range v.Fields {
		flag := map[string]string{"sites": "-site", "langs": "-lang", "role": "-role", "email": "-email"}[field.String()]
		parts = append(parts, flag+": "+message)
	}
	slices.Sort(parts)
	return fmt.Errorf("user: %s", strings.Join(parts, "; "))
}

// readPassword reads the first line of stdin, refuses it if it is weak (personal: what is
// known of the account) and hashes it.
func readPassword(stdin io.Reader, personal ...string) (string, error) {
	if stdin == nil {
		return "", errors.New("the password is read from standard input")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if weak := auth.CheckStrength(pw, personal...); weak != "" {
		return "", errors.New(weak.Explain() + "; choose a longer one, such as a few unrelated words")
	}
	return auth.HashPassword(pw)
}
