package config

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Lookup finds an environment variable, as os.LookupEnv does; tests pass
// their own.
type Lookup func(name string) (string, bool)

// ErrHelp is returned by Parse when the arguments ask for help.
var ErrHelp = errors.New("help requested")

// Error is a problem with the configuration, as a message catalogue key
// ("cli.…") and its arguments, so the command line can say it in the
// operator's language. An argument may itself be an *Error (the reason a
// value was refused).
type Error struct {
	Key  string
	Args []any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Key)
	for _, a := range e.Args {
		b.WriteString(" ")
		if ae, ok := a.(*Error); ok {
			b.WriteString("(" + ae.Error() + ")")
		} else {
			b.WriteString(strconv.Quote(fmt.Sprint(a)))
		}
	}
	return b.String()
}

// problem makes an *Error.
func problem(key string, args ...any) *Error { return &Error{Key: key, Args: args} }

// Flag describes one flag for the parser and for --help.
type Flag struct {
	Name  string   // without dashes; "" for a setting read only from the environment
	Env   []string // the variables that set it: first NEWSDESK_*, then fallbacks read when not empty
	Arg   string   // what help shows after the name (HOST:PORT); "" for booleans
	Usage string   // catalogue key of the one-line description
	// Default is what help shows as the default; "" shows none.
	Default string
	// Check, when set, refuses a bad value as it is given (flag or
	// variable), so the message can name where it came from.
	Check func(string) *Error
	// Redact, when set, hides the secret part of a value (a database
	// password) in messages.
	Redact func(string) string

	set    func(string) *Error
	isBool bool
	from   string // "--name" or the variable that set it; "" while the default holds
}

// FlagSet is the flags of one subcommand: each set from the command line,
// else from its environment variable, else its default, and checked once
// all are known.
type FlagSet struct {
	Name   string // the subcommand, "user add"
	env    Lookup
	flags  []*Flag
	checks []func() error
	args   []*Arg
	// rest takes the arguments that are not flags (Rest); nil refuses them.
	rest *[]string
}

// Arg is an argument given by position, not by name (import wxr FILE).
type Arg struct {
	Name  string // as help shows it: FILE
	Usage string // catalogue key of its description
	p     *string
}

// Arg defines the next positional argument; it is required.
func (fs *FlagSet) Arg(p *string, name, usage string) {
	fs.args = append(fs.args, &Arg{Name: name, Usage: usage, p: p})
}

// Args returns the positional arguments, for help.
func (fs *FlagSet) Args() []Arg {
	out := make([]Arg, len(fs.args))
	for i, a := range fs.args {
		out[i] = *a
	}
	return out
}

// Rest collects the arguments that are not flags into p, in order: the
// files of "newsdesk check FILE…". Without it they are refused.
func (fs *FlagSet) Rest(p *[]string) { fs.rest = p }

// NewFlagSet returns an empty flag set for the subcommand name that reads
// the environment through env.
func NewFlagSet(name string, env Lookup) *FlagSet {
	if env == nil {
		env = func(string) (string, bool) { return "", false }
	}
	return &FlagSet{Name: name, env: env}
}

// Flags returns the flags in the order they were defined, for help.
func (fs *FlagSet) Flags() []Flag {
	out := make([]Flag, len(fs.flags))
	for i, f := range fs.flags {
		out[i] = *f
	}
	return out
}

// Source says where the value of flag name came from: "--name", the
// variable that set it, or "--name" when it holds its default.
func (fs *FlagSet) Source(name string) string {
	for _, f := range fs.flags {
		if f.Name == name || (f.Name == "" && len(f.Env) > 0 && f.Env[0] == name) {
			if f.from != "" {
				return f.from
			}
			if f.Name == "" {
				return f.Env[0]
			}
			return "--" + f.Name
		}
	}
	return "--" + name
}

// Check adds a check run after every flag has its value, for rules that
// join several flags.
func (fs *FlagSet) Check(c func() error) { fs.checks = append(fs.checks, c) }

func (fs *FlagSet) add(f Flag, set func(string) *Error) {
	f.set = func(v string) *Error {
		if err := set(v); err != nil {
			return err
		}
		if f.Check != nil {
			return f.Check(v)
		}
		return nil
	}
	fs.flags = append(fs.flags, &f)
}

// String defines a string flag.
func (fs *FlagSet) String(p *string, def string, f Flag) {
	*p = def
	if f.Default == "" {
		f.Default = def
	}
	fs.add(f, func(v string) *Error { *p = v; return nil })
}

// Int defines an integer flag of at least min.
func (fs *FlagSet) Int(p *int, def, min int, f Flag) {
	*p = def
	if f.Default == "" {
		f.Default = strconv.Itoa(def)
	}
	fs.add(f, func(v string) *Error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return problem("cli.want_int")
		}
		if n < min {
			return problem("cli.want_min", min)
		}
		*p = n
		return nil
	})
}

// Int64 defines a 64-bit integer flag of at least min.
func (fs *FlagSet) Int64(p *int64, def, min int64, f Flag) {
	*p = def
	if f.Default == "" {
		f.Default = strconv.FormatInt(def, 10)
	}
	fs.add(f, func(v string) *Error {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return problem("cli.want_int")
		}
		if n < min {
			return problem("cli.want_min", int(min))
		}
		*p = n
		return nil
	})
}

// Duration defines a duration flag (30s, 10m) of at least min.
func (fs *FlagSet) Duration(p *time.Duration, def, min time.Duration, f Flag) {
	*p = def
	if f.Default == "" {
		f.Default = def.String()
	}
	fs.add(f, func(v string) *Error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < min {
			return problem("cli.want_duration", min.String())
		}
		*p = d
		return nil
	})
}

// Prefixes defines a flag of address ranges separated by commas
// (10.0.0.0/8,2001:db8::/32); a lone address is a range of one.
func (fs *FlagSet) Prefixes(p *[]netip.Prefix, f Flag) {
	*p = nil
	fs.add(f, func(v string) *Error {
		var out []netip.Prefix
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			pr, err := netip.ParsePrefix(part)
			if err != nil {
				a, aerr := netip.ParseAddr(part)
				if aerr != nil {
					return problem("cli.want_cidr")
				}
				pr = netip.PrefixFrom(a, a.BitLen())
			}
			out = append(out, pr.Masked())
		}
		*p = out
		return nil
	})
}

// Bool defines a flag that is off unless given: --name alone turns it on,
// --name=false off; its variable takes true/false, 1/0.
func (fs *FlagSet) Bool(p *bool, f Flag) {
	*p = false
	f.isBool = true
	fs.add(f, func(v string) *Error {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return problem("cli.want_bool")
		}
		*p = b
		return nil
	})
}

// Parse sets the flags from args (--name value, --name=value, -name; a
// lone "--" ends the flags), then from the environment, then runs the
// checks. It returns ErrHelp for -h or --help, and an *Error for anything
// it refuses, naming the flag or the variable.
func (fs *FlagSet) Parse(args []string) error {
	given := 0
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			if fs.rest != nil {
				*fs.rest = append(*fs.rest, args[i+1:]...)
			} else if i+1 < len(args) {
				return problem("cli.extra_arg", args[i+1])
			}
			break
		}
		if len(a) < 2 || a[0] != '-' {
			if given < len(fs.args) {
				*fs.args[given].p = a
				given++
				continue
			}
			if fs.rest != nil {
				*fs.rest = append(*fs.rest, a)
				continue
			}
			return problem("cli.extra_arg", a)
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if name == "h" || name == "help" {
			return ErrHelp
		}
		f := fs.lookup(name)
		if f == nil {
			return problem("cli.unknown_flag", "--"+name, fs.Name)
		}
		if !hasValue && !f.isBool {
			if i+1 >= len(args) {
				return problem("cli.flag_needs_value", "--"+name)
			}
			i++
			value = args[i]
		} else if !hasValue {
			value = "true"
		}
		if err := f.set(value); err != nil {
			return problem("cli.bad_value", "--"+name, f.shown(value), err)
		}
		f.from = "--" + name
	}
	for _, f := range fs.flags {
		if f.from != "" {
			continue
		}
		for i, name := range f.Env {
			v, ok := fs.env(name)
			if !ok || (i > 0 && v == "") {
				continue
			}
			if err := f.set(v); err != nil {
				return problem("cli.bad_value", name, f.shown(v), err)
			}
			f.from = name
			break
		}
	}
	if given < len(fs.args) {
		return problem("cli.required", fs.args[given].Name)
	}
	for _, c := range fs.checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}

// shown is v as messages may show it.
func (f *Flag) shown(v string) string {
	if f.Redact != nil {
		return f.Redact(v)
	}
	return v
}

// Shown is the value of flag name as messages may show it (a database
// URL without its password).
func (fs *FlagSet) Shown(name, v string) string {
	if f := fs.lookup(name); f != nil {
		return f.shown(v)
	}
	return v
}

func (fs *FlagSet) lookup(name string) *Flag {
	if name == "" {
		return nil
	}
	for _, f := range fs.flags {
		if f.Name == name {
			return f
		}
	}
	return nil
}
