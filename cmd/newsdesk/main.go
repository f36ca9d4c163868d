// Command newsdesk runs the Newsdesk newsroom publishing system.
//
//	newsdesk serve [--addr 127.0.0.1:8080] [--data ./data] [--demo] …
//	newsdesk demo | migrate | reindex [--data ./data]
//	newsdesk user add --name USERNAME --role ROLE[,ROLE]
//	newsdesk token add --user USERNAME [--name LABEL]
//	newsdesk copy --from SRC --to DST
//
// "newsdesk --help" lists the commands, "newsdesk CMD --help" a command's
// flags. Each subcommand is one entry in commands (commands.go).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	_ "time/tzdata" // the site time zone works on machines without tzdata

	"newsdesk/internal/config"
	"newsdesk/internal/i18n"
	"newsdesk/internal/model"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.LookupEnv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes: a command that ran and failed is 1; one that could not be
// started as given (unknown command or flag, bad value) is 2, as the flag
// package does.
const (
	exitFailed = 1
	exitUsage  = 2
)

// cli is what a subcommand runs with: the process's streams and
// environment, and the operator's language.
type cli struct {
	env            config.Lookup
	stdin          io.Reader
	stdout, stderr io.Writer
	cat            *i18n.Catalog
	lang           string
}

// run is the whole program: it picks the subcommand from args, parses its
// flags and environment, runs it and returns the exit code. Errors are
// printed to stderr as "newsdesk: message", in the operator's language.
func run(ctx context.Context, args []string, env config.Lookup, stdin io.Reader, stdout, stderr io.Writer) int {
	cat, err := i18n.Load()
	if err != nil {
		fmt.Fprintln(stderr, "newsdesk:", err)
		return exitFailed
	}
	c := &cli{env: env, stdin: stdin, stdout: stdout, stderr: stderr, cat: cat, lang: operatorLang(env)}
	if len(args) > 0 && args[0] == "help" { // "newsdesk help serve" is "newsdesk serve --help"
		if len(args) == 1 {
			c.help(stdout, "")
			return 0
		}
		args = append(args[1:], "--help")
	}
	cmd, rest := findCommand(args)
	if cmd == nil {
		return c.noCommand(args)
	}
	fs := config.NewFlagSet(cmd.name, env)
	start := cmd.define(fs)
	if err := fs.Parse(rest); errors.Is(err, config.ErrHelp) {
		c.commandHelp(stdout, cmd, fs)
		return 0
	} else if err != nil {
		c.say(err)
		fmt.Fprintln(stderr, c.t("cli.usage_error_cmd", cmd.name))
		return exitUsage
	}
	if err := start(ctx, c); err != nil {
		c.say(&failed{cmd: cmd.name, err: err})
		return exitFailed
	}
	return 0
}

// findCommand returns the command whose words begin args, and the
// arguments after them.
func findCommand(args []string) (*command, []string) {
	for i := range commands {
		words := strings.Fields(commands[i].name)
		if len(args) >= len(words) && slices.Equal(args[:len(words)], words) {
			return &commands[i], args[len(words):]
		}
	}
	return nil, nil
}

// noCommand answers arguments that name no command: help when asked for
// (newsdesk --help, newsdesk user --help), else an error and the usage.
func (c *cli) noCommand(args []string) int {
	group := ""
	if len(args) > 0 && isGroup(args[0]) {
		group, args = args[0], args[1:]
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		c.help(c.stdout, group)
		return 0
	}
	name := strings.TrimSpace(group + " " + strings.Join(args[:min(len(args), 1)], " "))
	if name == "" {
		c.help(c.stderr, "")
		return exitUsage
	}
	c.say(&config.Error{Key: "cli.unknown_command", Args: []any{name}})
	fmt.Fprintln(c.stderr, c.t("cli.usage_error"))
	return exitUsage
}

// isGroup reports whether word begins commands of several words ("user").
func isGroup(word string) bool {
	for _, cmd := range commands {
		if first, _, ok := strings.Cut(cmd.name, " "); ok && first == word {
			return true
		}
	}
	return false
}

// help writes the list of commands (those of group, when given).
func (c *cli) help(w io.Writer, group string) {
	fmt.Fprintln(w, c.t("cli.about"))
	fmt.Fprintln(w, c.t("cli.usage"))
	fmt.Fprintln(w)
	fmt.Fprintln(w, c.t("cli.commands"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, cmd := range commands {
		if group == "" || strings.HasPrefix(cmd.name, group+" ") {
			fmt.Fprintf(tw, "  %s\t%s\n", cmd.name, c.t(cmd.summary))
		}
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, c.t("cli.help.more"))
}

// commandHelp writes a command's usage and one line for each of its flags,
// with its default and environment variables.
func (c *cli) commandHelp(w io.Writer, cmd *command, fs *config.FlagSet) {
	usage := cmd.name
	for _, a := range fs.Args() {
		usage += " " + a.Name
	}
	fmt.Fprintln(w, c.t("cli.usage_cmd", usage))
	fmt.Fprintln(w, c.t(cmd.summary))
	fmt.Fprintln(w)
	fmt.Fprintln(w, c.t("cli.flags"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, a := range fs.Args() {
		fmt.Fprintf(tw, "  %s\t%s\n", a.Name, c.t(a.Usage))
	}
	var envOnly []config.Flag
	for _, f := range fs.Flags() {
		if f.Name == "" {
			envOnly = append(envOnly, f)
			continue
		}
		name := "--" + f.Name
		if f.Arg != "" {
			name += " " + f.Arg
		}
		fmt.Fprintf(tw, "  %s\t%s%s\n", name, c.t(f.Usage), c.flagNote(f.Default, f.Env))
	}
	tw.Flush()
	if len(envOnly) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, c.t("cli.env_only"))
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, f := range envOnly {
			fmt.Fprintf(tw, "  %s\t%s\n", strings.Join(f.Env, ", "), c.t(f.Usage))
		}
		tw.Flush()
	}
}

// flagNote is the bracket after a flag's description: its default and the
// variables that set it.
func (c *cli) flagNote(def string, env []string) string {
	vars := strings.Join(env, ", ")
	switch {
	case def != "" && vars != "":
		return c.t("cli.help.default_env", def, vars)
	case def != "":
		return c.t("cli.help.default", def)
	case vars != "":
		return c.t("cli.help.env", vars)
	}
	return ""
}

// failed is a command that ran and failed.
type failed struct {
	cmd string
	err error
}

func (f *failed) Error() string { return f.cmd + ": " + f.err.Error() }
func (f *failed) Unwrap() error { return f.err }

// say prints err on stderr as "newsdesk: message" in the operator's
// language.
func (c *cli) say(err error) {
	fmt.Fprintln(c.stderr, "newsdesk:", c.message(err))
}

// message says err in the operator's language: configuration problems and
// refused input from the catalogue, anything else as Go wrote it.
func (c *cli) message(err error) string {
	var f *failed
	if errors.As(err, &f) {
		var ce *config.Error
		var ie *model.InvalidError
		if errors.As(f.err, &ce) || errors.As(f.err, &ie) {
			return c.message(f.err) // the command's own words say enough
		}
		return c.t("cli.failed", f.cmd, f.err.Error())
	}
	var ce *config.Error
	if errors.As(err, &ce) {
		args := make([]any, len(ce.Args))
		for i, a := range ce.Args {
			if inner, ok := a.(*config.Error); ok {
				a = c.message(inner)
			}
			args[i] = a
		}
		return c.t(ce.Key, args...)
	}
	var ie *model.InvalidError
	if errors.As(err, &ie) {
		return c.t("invalid."+ie.Code, ie.Args...)
	}
	return err.Error()
}

// t is the message key in the operator's language.
func (c *cli) t(key string, args ...any) string { return c.cat.T(c.lang, key, args...) }

// logger logs to stderr from level up.
func (c *cli) logger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: level}))
}

// operatorLang is the language the operator asked for: NEWSDESK_LANG, else
// the locale (LC_ALL, LC_MESSAGES, LANG, the first one set); English when
// it starts with "en", Chinese otherwise.
func operatorLang(env config.Lookup) string {
	for _, name := range []string{"NEWSDESK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if v, _ := env(name); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "en") {
				return i18n.EN
			}
			return i18n.ZH
		}
	}
	return i18n.ZH
}
