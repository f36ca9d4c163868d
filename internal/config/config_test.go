package config

import (
	"errors"
	"log/slog"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) Lookup {
	return func(name string) (string, bool) { v, ok := m[name]; return v, ok }
}

func parseServe(t *testing.T, env map[string]string, args ...string) (*Serve, error) {
	t.Helper()
	fs := NewFlagSet("serve", envOf(env))
	c := ServeFlags(fs)
	return c, fs.Parse(args)
}

func TestServeDefaultsWork(t *testing.T) {
	c, err := parseServe(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Serve{Store: Store{Data: "./data"}, Files: Files{S3: S3{Region: "us-east-1"}}, Addr: "127.0.0.1:8080",
		BaseURL: "http://127.0.0.1:8080", CacheMB: 64, MemoryLimitMB: DefaultMemoryLimitMB, MaxUpload: 20 << 20, DecodeMB: 192, LogLevel: slog.LevelInfo,
		ReadTimeout: 30 * time.Second, WriteTimeout: time.Minute, UploadTimeout: 10 * time.Minute, MediaTimeout: 10 * time.Minute, MaxConns: 1024,
		Campus: Campus{DepartmentClaim: "department"}, StaticCheck: time.Minute}
	if !reflect.DeepEqual(*c, want) {
		t.Errorf("defaults = %+v, want %+v", *c, want)
	}
	if !reflect.DeepEqual(DefaultServe(), want) {
		t.Errorf("DefaultServe = %+v", DefaultServe())
	}
}

// TestVariablesSetWhatFlagsDoNot: every NEWSDESK_* variable sets its flag's
// value, the AWS_* fallbacks only when the NEWSDESK_ one is unset and they
// are not empty, and a flag on the command line beats both.
func TestVariablesSetWhatFlagsDoNot(t *testing.T) {
	env := map[string]string{
		"NEWSDESK_ADDR": "0.0.0.0:80", "NEWSDESK_DATA": "/srv/news", "NEWSDESK_DEMO": "true",
		"NEWSDESK_BASE_URL": "https://news.example.edu", "NEWSDESK_CACHE_MB": "128", "NEWSDESK_MEMORY_LIMIT_MB": "0", "NEWSDESK_MAX_UPLOAD": "1000", "NEWSDESK_DECODE_MB": "256",
		"NEWSDESK_LOG_LEVEL": "debug", "NEWSDESK_ACCESS_LOG": "1", "NEWSDESK_TRUST_PROXY": "true",
		"NEWSDESK_DB": "postgres://u@h/db", "NEWSDESK_MEDIA": "s3://bucket/site",
		"AWS_ENDPOINT_URL": "http://127.0.0.1:7070", "NEWSDESK_S3_REGION": "cn-north-1", "AWS_REGION": "us-west-2",
		"AWS_ACCESS_KEY_ID": "", "NEWSDESK_S3_ACCESS_KEY": "AK", "AWS_SECRET_ACCESS_KEY": "SK",
		"NEWSDESK_MEDIA_PUBLIC_URL": "https://cdn.example.edu",
		"NEWSDESK_DESK_ADDR":        "10.0.0.21:8081", "NEWSDESK_DESK_ALLOW": "10.0.0.0/8, 192.0.2.7,2001:db8::/32",
		"NEWSDESK_METRICS_TOKEN": "tok", "NEWSDESK_READ_TIMEOUT": "20s", "NEWSDESK_WRITE_TIMEOUT": "2m",
		"NEWSDESK_UPLOAD_TIMEOUT": "30m", "NEWSDESK_MEDIA_TIMEOUT": "1h", "NEWSDESK_MAX_CONNS": "256",
		"NEWSDESK_CAS_URL": "https://cas.example.edu/cas", "NEWSDESK_OIDC_ISSUER": "https://id.example.edu",
		"NEWSDESK_OIDC_CLIENT_ID": "news", "NEWSDESK_OIDC_CLIENT_SECRET": "s3cret", "NEWSDESK_CAMPUS_DEPARTMENT_CLAIM": "dept", "NEWSDESK_DESK_URL": "https://desk.example.edu",
	}
	c, err := parseServe(t, env)
	if err != nil {
		t.Fatal(err)
	}
	want := Serve{Store: Store{Data: "/srv/news", DB: "postgres://u@h/db"},
		Files: Files{Media: "s3://bucket/site", S3: S3{Endpoint: "http://127.0.0.1:7070", Region: "cn-north-1", AccessKey: "AK", SecretKey: "SK"}},
		Addr:  "0.0.0.0:80", BaseURL: "https://news.example.edu", CacheMB: 128, MemoryLimitMB: 0, MaxUpload: 1000, DecodeMB: 256, LogLevel: slog.LevelDebug,
		AccessLogs: true, TrustProxy: true, Demo: true, MediaPublicURL: "https://cdn.example.edu",
		DeskAddr: "10.0.0.21:8081", DeskAllow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("2001:db8::/32")},
		MetricsToken: "tok", ReadTimeout: 20 * time.Second, WriteTimeout: 2 * time.Minute, UploadTimeout: 30 * time.Minute, MediaTimeout: time.Hour, MaxConns: 256,
		Campus: Campus{CASURL: "https://cas.example.edu/cas", OIDCIssuer: "https://id.example.edu", OIDCClientID: "news", OIDCClientSecret: "s3cret", DepartmentClaim: "dept", DeskURL: "https://desk.example.edu"}, StaticCheck: time.Minute}
	if !reflect.DeepEqual(*c, want) {
		t.Errorf("from the environment:\n%+v, want\n%+v", *c, want)
	}

	env["NEWSDESK_CACHE_MB"] = "6x" // not read: the flag wins
	c, err = parseServe(t, env, "--addr", "127.0.0.1:9000", "--cache-mb=8", "--demo=false", "--s3-region", "eu-west-1", "-data", "/tmp/x")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.CacheMB != 8 || c.Demo || c.S3.Region != "eu-west-1" || c.Data != "/tmp/x" {
		t.Errorf("flags did not win: %+v", *c)
	}

	if c, _ = parseServe(t, map[string]string{"AWS_REGION": "us-west-2"}); c.S3.Region != "us-west-2" {
		t.Errorf("AWS_REGION fallback: %q", c.S3.Region)
	}
	if c, _ = parseServe(t, map[string]string{"AWS_REGION": ""}); c.S3.Region != "us-east-1" {
		t.Errorf("an empty AWS_REGION replaced the default: %q", c.S3.Region)
	}
}

// TestBadValuesNameTheirSource: a refused value's message names the flag
// or the variable it came from, with the value and the reason.
func TestBadValuesNameTheirSource(t *testing.T) {
	cases := []struct {
		env    map[string]string
		args   []string
		source string
		reason string
	}{
		{map[string]string{"NEWSDESK_CACHE_MB": "6x"}, nil, "NEWSDESK_CACHE_MB", "cli.want_int"},
		{nil, []string{"--cache-mb", "6x"}, "--cache-mb", "cli.want_int"},
		{map[string]string{"NEWSDESK_CACHE_MB": "0"}, nil, "NEWSDESK_CACHE_MB", "cli.want_min"},
		{map[string]string{"NEWSDESK_MAX_UPLOAD": "-1"}, nil, "NEWSDESK_MAX_UPLOAD", "cli.want_min"},
		{map[string]string{"NEWSDESK_ADDR": ""}, nil, "NEWSDESK_ADDR", "cli.want_hostport"},
		{map[string]string{"NEWSDESK_DATA": ""}, nil, "NEWSDESK_DATA", "cli.want_folder"},
		{map[string]string{"NEWSDESK_DEMO": "maybe"}, nil, "NEWSDESK_DEMO", "cli.want_bool"},
		{nil, []string{"--access-log=2"}, "--access-log", "cli.want_bool"},
		{map[string]string{"NEWSDESK_BASE_URL": "news.example.edu"}, nil, "NEWSDESK_BASE_URL", "cli.want_http"},
		{map[string]string{"NEWSDESK_DB": "sqlite:x"}, nil, "NEWSDESK_DB", "cli.want_db"},
		{map[string]string{"NEWSDESK_MEDIA": "./media"}, nil, "NEWSDESK_MEDIA", "cli.want_media"},
		{map[string]string{"NEWSDESK_LOG_LEVEL": "loud"}, nil, "NEWSDESK_LOG_LEVEL", "cli.want_level"},
		{nil, []string{"--media-public-url", "cdn"}, "--media-public-url", "cli.want_http"},
		{nil, []string{"--desk-addr", "8081"}, "--desk-addr", "cli.want_hostport"},
		{map[string]string{"NEWSDESK_DESK_ALLOW": "10.0.0.0/33"}, []string{"--desk-addr", ":8081"}, "NEWSDESK_DESK_ALLOW", "cli.want_cidr"},
		{nil, []string{"--desk-allow", "campus"}, "--desk-allow", "cli.want_cidr"},
		{map[string]string{"NEWSDESK_READ_TIMEOUT": "30"}, nil, "NEWSDESK_READ_TIMEOUT", "cli.want_duration"},
		{nil, []string{"--upload-timeout", "10ms"}, "--upload-timeout", "cli.want_duration"},
		{nil, []string{"--max-conns", "0"}, "--max-conns", "cli.want_min"},
		{nil, []string{"--cas-url", "cas.example.edu"}, "--cas-url", "cli.want_http"},
		{map[string]string{"NEWSDESK_OIDC_ISSUER": "id.example.edu"}, nil, "NEWSDESK_OIDC_ISSUER", "cli.want_http"},
		{nil, []string{"--campus-department-claim", " "}, "--campus-department-claim", "cli.want_name"},
		{nil, []string{"--smtp-url", "mail.example.edu:587"}, "--smtp-url", "cli.want_smtp"},
		{map[string]string{"NEWSDESK_SMTP_URL": "smtps://mail.example.edu?tls=none"}, nil, "NEWSDESK_SMTP_URL", "cli.want_smtp"},
		{nil, []string{"--smtp-url", "smtp://mail.example.edu?tls=maybe"}, "--smtp-url", "cli.want_smtp"},
		{nil, []string{"--smtp-url", "smtp://mail.example.edu:99999"}, "--smtp-url", "cli.want_smtp"},
		{nil, []string{"--mail-from", "新闻中心"}, "--mail-from", "cli.want_mail_address"},
	}
	var needsID *Error
	if _, err := parseServe(t, nil, "--oidc-issuer", "https://id.example.edu"); !errors.As(err, &needsID) || needsID.Key != "cli.required" {
		t.Errorf("an issuer without a client id: %v", err)
	}
	_, err := parseServe(t, map[string]string{"NEWSDESK_DB": "mysql://news:hunter2@db/news"})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("a refused database URL shows its password: %v", err)
	}
	for _, c := range cases {
		_, err := parseServe(t, c.env, c.args...)
		var e *Error
		if !errors.As(err, &e) || e.Key != "cli.bad_value" || e.Args[0] != c.source || e.Args[2].(*Error).Key != c.reason {
			t.Errorf("%v %v: %v, want %s refused for %s", c.env, c.args, err, c.source, c.reason)
		}
	}
}

// TestSMTPURLIsParsed: the URL gives host, port (by scheme when absent),
// user and password, the password may come from NEWSDESK_SMTP_PASSWORD
// instead, and a sender is required once a server is named.
func TestSMTPURLIsParsed(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		args []string
		want SMTP
	}{
		{nil, []string{"--smtp-url", "smtp://news:pw@mail.example.edu", "--mail-from", "news@example.edu"},
			SMTP{Host: "mail.example.edu", Port: "587", Username: "news", Password: "pw"}},
		{map[string]string{"NEWSDESK_SMTP_URL": "smtps://news@mail.example.edu", "NEWSDESK_SMTP_PASSWORD": "from-env", "NEWSDESK_MAIL_FROM": "新闻中心 <news@example.edu>"}, nil,
			SMTP{Host: "mail.example.edu", Port: "465", Username: "news", Password: "from-env", Implicit: true}},
		{nil, []string{"--smtp-url", "smtp://127.0.0.1:1025?tls=none", "--mail-from", "news@example.edu"},
			SMTP{Host: "127.0.0.1", Port: "1025", NoTLS: true}},
	} {
		c2, err := parseServe(t, c.env, c.args...)
		if err != nil {
			t.Fatalf("%v %v: %v", c.env, c.args, err)
		}
		got := c2.SMTP
		got.URL, got.From = "", ""
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v %v: %+v, want %+v", c.env, c.args, got, c.want)
		}
	}
	var e *Error
	if _, err := parseServe(t, nil, "--smtp-url", "smtp://mail.example.edu"); !errors.As(err, &e) || e.Key != "cli.required" || e.Args[0] != "--mail-from" {
		t.Errorf("a server without a sender: %v", err)
	}
	if _, err := parseServe(t, nil, "--smtp-url", "smtp://news:hunter2@mail.example.edu:x"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("a refused SMTP URL shows its password: %v", err)
	}
}

// TestDeskListenerFlagsGoTogether: the allow-list is the desk listener's,
// and the desk listener is not the public one.
func TestDeskListenerFlagsGoTogether(t *testing.T) {
	for _, c := range []struct {
		args []string
		key  string
	}{
		{[]string{"--desk-allow", "10.0.0.0/8"}, "cli.desk_allow_needs_addr"},
		{[]string{"--addr", "127.0.0.1:8080", "--desk-addr", "127.0.0.1:8080"}, "cli.desk_addr_same"},
	} {
		var e *Error
		if _, err := parseServe(t, nil, c.args...); !errors.As(err, &e) || e.Key != c.key {
			t.Errorf("%v: %v, want %s", c.args, err, c.key)
		}
	}
}

// TestEachSubcommandRefusesTheOthersFlags: a flag defined for one
// subcommand is unknown to those it does not apply to.
func TestEachSubcommandRefusesTheOthersFlags(t *testing.T) {
	cases := []struct {
		name  string
		flags func(*FlagSet)
		flag  string
	}{
		{"migrate", func(fs *FlagSet) { MigrateFlags(fs) }, "--s3-region=x"},
		{"migrate", func(fs *FlagSet) { MigrateFlags(fs) }, "--addr=:80"},
		{"reindex", func(fs *FlagSet) { ReindexFlags(fs) }, "--media=s3://b"},
		{"demo", func(fs *FlagSet) { DemoFlags(fs) }, "--cache-mb=1"},
		{"user add", func(fs *FlagSet) { UserAddFlags(fs) }, "--base-url=http://x"},
		{"copy", func(fs *FlagSet) { CopyFlags(fs) }, "--db=postgres://h/d"},
		{"serve", func(fs *FlagSet) { ServeFlags(fs) }, "--from=sqlite:x"},
	}
	for _, c := range cases {
		fs := NewFlagSet(c.name, nil)
		c.flags(fs)
		var e *Error
		if err := fs.Parse([]string{c.flag}); !errors.As(err, &e) || e.Key != "cli.unknown_flag" {
			t.Errorf("%s %s: %v, want refused", c.name, c.flag, err)
		}
	}
}

func TestUserAddNeedsNameAndRole(t *testing.T) {
	cases := []struct {
		args    []string
		missing string
	}{
		{nil, "--name"},
		{[]string{"--name", "zhang"}, "--role"},
		{[]string{"--name", "zhang", "--role", " , "}, "--role"},
	}
	for _, c := range cases {
		fs := NewFlagSet("user add", nil)
		UserAddFlags(fs)
		var e *Error
		if err := fs.Parse(c.args); !errors.As(err, &e) || e.Key != "cli.required" || e.Args[0] != c.missing {
			t.Errorf("%v: %v, want %s required", c.args, err, c.missing)
		}
	}
	fs := NewFlagSet("user add", envOf(map[string]string{"NEWSDESK_PASSWORD": "secret words", "NEWSDESK_NAME": "ignored"}))
	u := UserAddFlags(fs)
	if err := fs.Parse([]string{"--name", "zhang", "--role", "editor, admin", "--unit", "新闻中心"}); err != nil {
		t.Fatal(err)
	}
	if u.Username != "zhang" || !slices.Equal(u.Roles, []string{"editor", "admin"}) || u.Unit != "新闻中心" || u.Password != "secret words" {
		t.Errorf("user add = %+v", *u)
	}
}

func TestCopyChecksBothSides(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		key  string
		arg0 string
	}{
		{nil, []string{"--to", "sqlite:/b"}, "cli.required", "--from"},
		{nil, []string{"--from", "sqlite:/a"}, "cli.required", "--to"},
		{nil, []string{"--from", "sqlite:", "--to", "sqlite:/b"}, "cli.bad_value", "--from"},
		{map[string]string{"NEWSDESK_COPY_TO": "mysql://x"}, []string{"--from", "sqlite:/a"}, "cli.bad_value", "NEWSDESK_COPY_TO"},
		{nil, []string{"--from", "postgres://h/a", "--to", "sqlite:/b"}, "cli.copy_needs_media", "--from"},
		{nil, []string{"--from", "sqlite:/a", "--to", "sqlite:/a"}, "cli.copy_same", ""},
	}
	for _, c := range cases {
		fs := NewFlagSet("copy", envOf(c.env))
		CopyFlags(fs)
		var e *Error
		err := fs.Parse(c.args)
		if !errors.As(err, &e) || e.Key != c.key || (c.arg0 != "" && e.Args[0] != c.arg0) {
			t.Errorf("%v %v: %v, want %s %s", c.env, c.args, err, c.key, c.arg0)
		}
	}
	fs := NewFlagSet("copy", envOf(map[string]string{"NEWSDESK_COPY_FROM": "sqlite:/a", "NEWSDESK_S3_SECRET_KEY": "SK"}))
	c := CopyFlags(fs)
	if err := fs.Parse([]string{"--to", "postgres://h/b", "--to-media", "s3://bucket/x", "--skip-sessions"}); err != nil {
		t.Fatal(err)
	}
	if c.From != "sqlite:/a" || c.ToMedia != "s3://bucket/x" || !c.SkipSessions || c.S3.SecretKey != "SK" {
		t.Errorf("copy = %+v", *c)
	}
}
