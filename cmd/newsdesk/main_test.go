package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"newsdesk/internal/account"
	"newsdesk/internal/app"
	"newsdesk/internal/config"
)

// result is what one in-process run of the binary did.
type result struct {
	code           int
	stdout, stderr string
}

// newsdesk runs the binary's main logic with args, the environment env
// (nothing else of the process's) and stdin.
func newsdesk(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	code := run(context.Background(), args, lookup, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

var flagRE = regexp.MustCompile(`(?m)^  --([a-z0-9-]+)`)

// listedFlags are the flags a command's help lists, in order.
func listedFlags(help string) []string {
	var names []string
	for _, m := range flagRE.FindAllStringSubmatch(help, -1) {
		names = append(names, m[1])
	}
	return names
}

func TestHelpListsOnlyTheFlagsThatApply(t *testing.T) {
	site := []string{"data", "db"}
	s3 := []string{"s3-endpoint", "s3-region", "s3-access-key"}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"serve", "--help"}, []string{"addr", "data", "db", "demo", "base-url", "cache-mb", "memory-limit-mb", "max-upload", "decode-mb", "log-level", "access-log", "trust-proxy", "media", "s3-endpoint", "s3-region", "s3-access-key", "media-public-url",
			"desk-addr", "desk-allow", "metrics-token", "read-timeout", "write-timeout", "upload-timeout", "media-timeout", "max-conns", "api-cors-origins",
			"cas-url", "oidc-issuer", "oidc-client-id", "oidc-client-secret", "campus-department-claim", "desk-url",
			"smtp-url", "mail-from", "static-out", "static-watch", "static-check", "search-url",
			"static-hash", "static-bucket", "static-alert-webhook", "static-alert-mail"}},
		{[]string{"migrate", "-h"}, append(site, "log-level")},
		{[]string{"reindex", "--help"}, append(site, "log-level")},
		{[]string{"demo", "-help"}, append(append(site, "media"), append(s3, "log-level")...)},
		{[]string{"user", "add", "--help"}, []string{"name", "role", "unit", "display-name", "data", "db", "log-level"}},
		{[]string{"copy", "--help"}, append([]string{"from", "to", "from-media", "to-media", "skip-sessions"}, append(s3, "log-level")...)},
		{[]string{"help", "migrate"}, append(site, "log-level")},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := newsdesk(t, nil, "", c.args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if got := listedFlags(r.stdout); !slices.Equal(got, c.want) {
				t.Errorf("help lists %v, want %v\n%s", got, c.want, r.stdout)
			}
			for _, line := range strings.Split(r.stdout, "\n") {
				if strings.HasPrefix(line, "  --") && len(strings.Fields(line)) < 2 {
					t.Errorf("flag without a description: %q", line)
				}
			}
		})
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := newsdesk(t, nil, "", args...)
		if r.code != 0 {
			t.Errorf("%v: exit %d", args, r.code)
		}
		for _, cmd := range commands {
			if !strings.Contains(r.stdout, "  "+cmd.name+" ") {
				t.Errorf("%v does not list %q:\n%s", args, cmd.name, r.stdout)
			}
		}
	}
}

// TestRefusedArgumentsExitTwoNamingThem: unknown commands, flags of
// another subcommand, bad values in flags and in NEWSDESK_* variables are
// refused before anything runs, with a message naming them and a usage
// line.
func TestRefusedArgumentsExitTwoNamingThem(t *testing.T) {
	data := t.TempDir()
	cases := []struct {
		name  string
		env   map[string]string
		args  []string
		names string // what the message must name
	}{
		{"unknown command", nil, []string{"frob"}, "frob"},
		{"unknown user command", nil, []string{"user", "delete"}, "user delete"},
		{"no command", nil, nil, "newsdesk <"},
		{"flag of serve given to migrate", nil, []string{"migrate", "--s3-region", "x"}, "--s3-region"},
		{"flag of serve given to user add", nil, []string{"user", "add", "--name", "a", "--role", "admin", "--addr", ":1"}, "--addr"},
		{"flag of serve given to reindex", nil, []string{"reindex", "--media", "s3://b"}, "--media"},
		{"flag of copy given to demo", nil, []string{"demo", "--from", "sqlite:x"}, "--from"},
		{"flag without its value", nil, []string{"migrate", "--data"}, "--data"},
		{"stray argument", nil, []string{"migrate", "now"}, "now"},
		{"bad int flag", nil, []string{"serve", "--cache-mb", "6x"}, "--cache-mb"},
		{"zero cache", nil, []string{"serve", "--cache-mb=0"}, "--cache-mb"},
		{"bad address", nil, []string{"serve", "--addr", "nonsense"}, "--addr"},
		{"bad base URL", nil, []string{"serve", "--base-url", "ftp://x"}, "--base-url"},
		{"CORS origin with a path", nil, []string{"serve", "--api-cors-origins", "https://app.example.edu.cn/news"}, "--api-cors-origins"},
		{"bad CORS variable", map[string]string{"NEWSDESK_API_CORS_ORIGINS": "app.example.edu.cn"}, []string{"serve"}, "NEWSDESK_API_CORS_ORIGINS"},
		{"bad log level", nil, []string{"migrate", "--log-level", "loud"}, "--log-level"},
		{"bad bool flag", nil, []string{"serve", "--demo=maybe"}, "--demo"},
		{"bad int variable", map[string]string{"NEWSDESK_CACHE_MB": "6x"}, []string{"serve"}, "NEWSDESK_CACHE_MB"},
		{"bad int64 variable", map[string]string{"NEWSDESK_MAX_UPLOAD": "20MB"}, []string{"serve"}, "NEWSDESK_MAX_UPLOAD"},
		{"bad bool variable", map[string]string{"NEWSDESK_DEMO": "yes please"}, []string{"serve"}, "NEWSDESK_DEMO"},
		{"empty address variable", map[string]string{"NEWSDESK_ADDR": ""}, []string{"serve"}, "NEWSDESK_ADDR"},
		{"bad database variable", map[string]string{"NEWSDESK_DB": "mysql://x"}, []string{"migrate"}, "NEWSDESK_DB"},
		{"bad level variable", map[string]string{"NEWSDESK_LOG_LEVEL": "loud"}, []string{"reindex", "--data", data}, "NEWSDESK_LOG_LEVEL"},
		{"bad media variable", map[string]string{"NEWSDESK_MEDIA": "/srv/media"}, []string{"demo"}, "NEWSDESK_MEDIA"},
		{"bad copy variable", map[string]string{"NEWSDESK_COPY_FROM": "x"}, []string{"copy", "--to", "sqlite:" + data}, "NEWSDESK_COPY_FROM"},
		{"copy to PostgreSQL without media", nil, []string{"copy", "--from", "sqlite:" + data, "--to", "postgres://h/db"}, "--to-media"},
		{"user add without role", nil, []string{"user", "add", "--name", "zhang"}, "--role"},
		{"bad manifest digest", nil, []string{"export", "static", "--out", data + "/www", "--hash", "md5"}, "--hash"},
		{"bad manifest digest variable", map[string]string{"NEWSDESK_STATIC_HASH": "sha1"}, []string{"serve"}, "NEWSDESK_STATIC_HASH"},
		{"alert mail without SMTP", nil, []string{"serve", "--static-out", data + "/www", "--static-alert-mail", "web@example.edu"}, "--static-alert-mail"},
		{"bad alert webhook", nil, []string{"static", "verify", data + "/www", "--static-alert-webhook", "ops.example.edu/hook"}, "--static-alert-webhook"},
		{"bucket that is no s3 URL", nil, []string{"export", "static", "--out", data + "/www", "--bucket", "/srv/bucket"}, "--bucket"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newsdesk(t, c.env, "", c.args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d", r.code, exitUsage)
			}
			if !strings.Contains(r.stderr, c.names) {
				t.Errorf("stderr does not name %s:\n%s", c.names, r.stderr)
			}
			if !strings.Contains(r.stderr, "用法：newsdesk") {
				t.Errorf("no usage line:\n%s", r.stderr)
			}
			if strings.Contains(r.stderr, " msg=") {
				t.Errorf("a log line instead of a message:\n%s", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q", r.stdout)
			}
		})
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("a refused command wrote %v", entries)
	}
}

// TestFlagBeatsVariable: a flag given on the command line wins over its
// variable, which is then not even read (a bad one is no error).
func TestFlagBeatsVariable(t *testing.T) {
	fromEnv, fromFlag := t.TempDir(), t.TempDir()
	env := map[string]string{"NEWSDESK_DATA": fromEnv, "NEWSDESK_LOG_LEVEL": "loud"}
	r := newsdesk(t, env, "", "migrate", "--data", fromFlag, "--log-level", "warn")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(fromFlag, "newsdesk.db")); err != nil {
		t.Errorf("the database is not where --data says: %v", err)
	}
	if _, err := os.Stat(filepath.Join(fromEnv, "newsdesk.db")); err == nil {
		t.Errorf("the database went where NEWSDESK_DATA says, not --data")
	}
	r = newsdesk(t, map[string]string{"NEWSDESK_DATA": fromEnv}, "", "migrate")
	if _, err := os.Stat(filepath.Join(fromEnv, "newsdesk.db")); r.code != 0 || err != nil {
		t.Errorf("without --data, NEWSDESK_DATA is not used: exit %d, %v, %s", r.code, err, r.stderr)
	}
}

// TestMessagesInTheOperatorsLanguage: Chinese by default, English when
// NEWSDESK_LANG or the locale asks for it, NEWSDESK_LANG first, then
// LC_ALL, LC_MESSAGES, LANG.
func TestMessagesInTheOperatorsLanguage(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{nil, "newsdesk: migrate 没有参数 --addr\n用法：newsdesk migrate [参数]"},
		{map[string]string{"LANG": "en_US.UTF-8"}, "newsdesk: --addr is not a flag of migrate\nusage: newsdesk migrate [flags]"},
		{map[string]string{"LANG": "C.UTF-8"}, "没有参数"},
		{map[string]string{"LC_MESSAGES": "en_GB", "LANG": "zh_CN.UTF-8"}, "is not a flag"},
		{map[string]string{"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB"}, "没有参数"},
		{map[string]string{"NEWSDESK_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "is not a flag"},
		{map[string]string{"NEWSDESK_LANG": "zh-CN", "LANG": "en_US.UTF-8"}, "没有参数"},
	}
	for _, c := range cases {
		r := newsdesk(t, c.env, "", "migrate", "--addr", ":80")
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: stderr %q, want %q", c.env, r.stderr, c.want)
		}
	}
	r := newsdesk(t, map[string]string{"LANG": "en_US.UTF-8"}, "", "serve", "--help")
	if !strings.Contains(r.stdout, "listen address (default 127.0.0.1:8080; NEWSDESK_ADDR)") {
		t.Errorf("English help:\n%s", r.stdout)
	}
}

// TestUserAddThenReindex: user add creates a user on a migrated site with
// the password from standard input or NEWSDESK_PASSWORD; a refused user is
// said in the operator's language and exits 1; reindex counts articles.
func TestUserAddThenReindex(t *testing.T) {
	env := map[string]string{"NEWSDESK_DATA": t.TempDir()}
	if r := newsdesk(t, env, "", "migrate"); r.code != 0 {
		t.Fatalf("migrate: exit %d: %s", r.code, r.stderr)
	}
	r := newsdesk(t, env, "long enough password\n", "user", "add", "--name", "zhang.wei", "--role", "admin,editor", "--display-name", "张伟")
	if r.code != 0 || !strings.Contains(r.stdout, "zhang.wei") {
		t.Fatalf("user add: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	env["NEWSDESK_PASSWORD"] = "another long password"
	env["LANG"] = "en_US.UTF-8"
	r = newsdesk(t, env, "", "user", "add", "--name", "zhang.wei", "--role", "editor")
	if r.code != exitFailed || r.stderr != "newsdesk: The username zhang.wei is taken.\n" {
		t.Errorf("the same user again: exit %d, stderr %q", r.code, r.stderr)
	}
	r = newsdesk(t, env, "", "user", "add", "--name", "li.na", "--role", "contributor", "--unit", "新闻中心")
	if r.code != 0 {
		t.Errorf("contributor with a unit: exit %d, %s", r.code, r.stderr)
	}
	delete(env, "NEWSDESK_PASSWORD")
	r = newsdesk(t, env, "", "user", "add", "--name", "wang", "--role", "editor")
	if r.code != exitFailed || !strings.Contains(r.stderr, "no password on standard input") {
		t.Errorf("no password: exit %d, stderr %q", r.code, r.stderr)
	}
	r = newsdesk(t, env, "", "reindex")
	if r.code != 0 || !strings.Contains(r.stdout, "search index rebuilt: 0 articles") {
		t.Errorf("reindex: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
}

// TestServeFailureIsOneMessage: a server that cannot listen exits 1 with
// one "newsdesk: serve failed: …" line, not an error log line.
func TestServeFailureIsOneMessage(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	env := map[string]string{"LANG": "en_US.UTF-8", "NEWSDESK_LOG_LEVEL": "error"}
	r := newsdesk(t, env, "", "serve", "--data", t.TempDir(), "--addr", l.Addr().String())
	if r.code != exitFailed || !strings.HasPrefix(r.stderr, "newsdesk: serve failed: ") || strings.Contains(r.stderr, "level=ERROR") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestTokenAddPrintsATokenOnce: token add prints a working token alone on
// standard output; an unknown user is refused with exit 1.
func TestTokenAddPrintsATokenOnce(t *testing.T) {
	env := map[string]string{"NEWSDESK_DATA": t.TempDir(), "NEWSDESK_PASSWORD": "long enough password", "LANG": "en_US.UTF-8"}
	if r := newsdesk(t, env, "", "user", "add", "--name", "signage", "--role", "editor"); r.code != 0 {
		t.Fatalf("user add: exit %d: %s", r.code, r.stderr)
	}
	r := newsdesk(t, env, "", "token", "add", "--user", "signage", "--name", "lobby screen")
	secret := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(secret, account.TokenPrefix) || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("token add: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "lobby screen") || strings.Contains(r.stderr, secret) {
		t.Errorf("the note: %q", r.stderr)
	}
	db, err := app.OpenStore(context.Background(), config.Store{Data: env["NEWSDESK_DATA"]})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, u, err := account.New(db).TokenUser(context.Background(), secret); err != nil || u.Username != "signage" {
		t.Errorf("the printed token does not act as signage: %v %v", u.Username, err)
	}
	entries, _, _ := db.Audit(context.Background(), 10, 0)
	if len(entries) == 0 || entries[0].Action != "token_add" || entries[0].UserID != 0 {
		t.Errorf("not audited as the system: %+v", entries)
	}
	if r := newsdesk(t, env, "", "token", "add", "--user", "nobody"); r.code != exitFailed || !strings.Contains(r.stderr, "nobody") {
		t.Errorf("unknown user: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := newsdesk(t, env, "", "token", "add"); r.code != exitUsage || !strings.Contains(r.stderr, "--user") {
		t.Errorf("no --user: exit %d, stderr %q", r.code, r.stderr)
	}
}

// A --data that cannot hold the database is refused naming the file and
// the reason, not with SQLite's "unable to open database file (14)".
func TestUnusableDataFolderNamesTheFile(t *testing.T) {
	r := newsdesk(t, map[string]string{"LANG": "en_US.UTF-8"}, "", "migrate", "--data", "/proc/self")
	if r.code != exitFailed || !strings.Contains(r.stderr, "/proc/self/newsdesk.db") || !strings.Contains(r.stderr, "no such file or directory") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
