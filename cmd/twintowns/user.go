package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"twintowns/internal/auth"
	"twintowns/internal/postgres"
)

// userCommand manages staff accounts: add, list, disable, password.
func userCommand(ctx context.Context, db *postgres.DB, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("user: add, list, disable or password")
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "the account's email address")
	site := fs.String("site", "", "slug of the account's site (seinajoki, siedlce, ...)")
	admin := fs.Bool("admin", false, "administrator of every site")
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
		if *site == "" && !*admin {
			return errors.New("user add: -site SLUG or -admin is required")
		}
		hash, err := readPassword(stdin)
		if err != nil {
			return err
		}
		u, err := db.CreateUser(ctx, *email, *site, *admin, hash)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s added (id %d)\n", u.Email, u.ID)
	case "list":
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tSITE\tADMIN\tDISABLED")
		for _, u := range users {
			disabled := ""
			if u.DisabledAt != nil {
				disabled = u.DisabledAt.Format("2006-01-02")
			}
			fmt.Fprintf(tw, "%s\t%s\t%v\t%s\n", u.Email, u.SiteSlug, u.IsAdmin, disabled)
		}
		return tw.Flush()
	case "disable":
		if err := needEmail(); err != nil {
			return err
		}
		if err := db.DisableUser(ctx, *email); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s disabled\n", *email)
	case "password":
		if err := needEmail(); err != nil {
			return err
		}
		hash, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if err := db.SetPassword(ctx, *email, hash); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed\n", *email)
	default:
		return fmt.Errorf("user: unknown subcommand %q", args[0])
	}
	return nil
}

// readPassword reads the first line of stdin and hashes it.
func readPassword(stdin io.Reader) (string, error) {
	if stdin == nil {
		return "", errors.New("the password is read from standard input")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if len([]rune(pw)) < auth.MinPasswordLen {
		return "", fmt.Errorf("the password must have at least %d characters", auth.MinPasswordLen)
	}
	return auth.HashPassword(pw)
}
