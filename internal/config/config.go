// Package config holds what each of Newsdesk's subcommands can be told: one
// struct per subcommand, the flags that fill it (each also an environment
// variable NEWSDESK_<NAME>, except user add's own), defaults that work, and
// checks that name the flag or variable a bad value came from.
package config

import (
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"
)

// Store is where a site's database is.
type Store struct {
	// Data is the folder of the SQLite database, and of the media files
	// unless Files.Media names other storage.
	Data string
	// DB selects the database: "" is SQLite under Data; postgres://… is
	// PostgreSQL.
	DB string
}

// S3 is how to reach S3-compatible storage. Credentials default to the
// standard AWS environment variables.
type S3 struct {
	Endpoint  string // host:port or URL; default the AWS endpoint of Region
	Region    string
	AccessKey string
	SecretKey string // from the environment only: other users could read a flag
}

// Files is where a site's media files are.
type Files struct {
	// Media selects the media storage: "" is the folder media/ under
	// Store.Data; s3://bucket/prefix is an S3-compatible bucket reached
	// through S3.
	Media string
	S3    S3
}

// Serve is what "newsdesk serve" needs.
type Serve struct {
	Store
	Files
	Addr      string
	BaseURL   string // default http://Addr
	CacheMB   int
	MaxUpload int64
	// DecodeMB bounds the memory decoding photos may take at once
	// (uploads and variants), in MiB.
	DecodeMB   int
	LogLevel   slog.Level
	AccessLogs bool
	// TrustProxy takes the client's address from X-Forwarded-For (its last
	// entry, the one the proxy added), for sign-in limits and the audit log.
	TrustProxy bool
	Demo       bool // fill an empty site with demo content first
	// MediaPublicURL, when set, is where readers fetch media (a CDN or the
	// bucket's public address) instead of through Newsdesk.
	MediaPublicURL string
	// DeskAddr, when set, serves the desk, the desk API and /metrics on a
	// listener of their own; Addr then answers 404 for them.
	DeskAddr string
	// DeskAllow limits who may connect to DeskAddr (empty: anyone).
	DeskAllow []netip.Prefix
	// MetricsToken is the bearer token /metrics asks for; without a desk
	// listener /metrics answers only to it.
	MetricsToken string
	// Time-outs of a request (ReadTimeout), a response (WriteTimeout), an
	// upload (UploadTimeout, both ways) and a media file (MediaTimeout).
	ReadTimeout, WriteTimeout, UploadTimeout, MediaTimeout time.Duration
	// MaxConns bounds the open connections of each listener.
	MaxConns int
	// APICORSOrigins are the web origins whose pages may read the content
	// API, separated by commas ("*": any); none by default.
	APICORSOrigins string
	Campus         Campus
}

// CORSOrigins lists APICORSOrigins.
func (c Serve) CORSOrigins() []string { return splitOrigins(c.APICORSOrigins) }

func splitOrigins(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
}

// Campus is campus sign-in (统一身份认证): a CAS server, an OpenID Connect
// provider, either or both.
type Campus struct {
	CASURL           string // base URL of the CAS server, e.g. https://cas.example.edu/cas
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	// DepartmentClaim names the CAS attribute or OpenID claim with the
	// department code.
	DepartmentClaim string
	// DeskURL is the desk's public address when --desk-addr serves it
	// apart: the CAS service and OpenID redirect point there. Default:
	// the site's address.
	DeskURL string
}

// Migrate is what "newsdesk migrate" needs.
type Migrate struct {
	Store
	LogLevel slog.Level
}

// Reindex is what "newsdesk reindex" needs.
type Reindex struct {
	Store
	LogLevel slog.Level
}

// Check is what "newsdesk check" needs: the site whose rules apply and
// the files to check.
type Check struct {
	Store
	Files    []string
	LogLevel slog.Level
}

// Selfcheck is what "newsdesk selfcheck" needs; XLSX, when set, is where
// the rectification list is written.
type Selfcheck struct {
	Store
	XLSX     string
	LogLevel slog.Level
}

// Audit is what "newsdesk audit verify" and "audit purge" need.
type Audit struct {
	Store
	LogLevel slog.Level
	// RetentionDays: purge keeps every entry younger than this (at least 180).
	RetentionDays int
}

// Demo is what "newsdesk demo" needs: the demo writes photos too.
type Demo struct {
	Store
	Files
	LogLevel slog.Level
}

// UserAdd is what "newsdesk user add" needs. The password comes from
// NEWSDESK_PASSWORD or standard input, never from a flag that other users
// of the machine could see.
type UserAdd struct {
	Store
	LogLevel    slog.Level
	Username    string
	DisplayName string
	Roles       []string
	Unit        string
	Password    string // from NEWSDESK_PASSWORD; "" reads standard input
}

// TokenAdd is what "newsdesk token add" needs.
type TokenAdd struct {
	Store
	LogLevel slog.Level
	Username string
	Name     string // the token's label
}

// Copy is what "newsdesk copy" needs: a site's database and media storage,
// and where they go. From and To are sqlite:DIR (a data folder, with its
// media under DIR/media unless FromMedia/ToMedia say otherwise) or
// postgres://… (then FromMedia/ToMedia must name the media:
// s3://bucket/prefix or a folder).
type Copy struct {
	From, To           string
	FromMedia, ToMedia string
	// SkipSessions leaves the sign-ins behind: everyone signs in again.
	SkipSessions bool
	S3           S3
	LogLevel     slog.Level
}

// Parse reads serve's flags from args and the process environment: how
// tests and benchmarks build the application as "newsdesk serve" would.
func Parse(name string, args []string) (Serve, error) {
	fs := NewFlagSet(name, os.LookupEnv)
	c := ServeFlags(fs)
	err := fs.Parse(args)
	return *c, err
}

// DefaultServe is serve's configuration when nothing is given.
func DefaultServe() Serve {
	fs := NewFlagSet("serve", nil)
	c := ServeFlags(fs)
	if err := fs.Parse(nil); err != nil {
		panic("config: the defaults are refused: " + err.Error())
	}
	return *c
}

// ServeFlags defines serve's flags on fs.
func ServeFlags(fs *FlagSet) *Serve {
	c := &Serve{}
	fs.String(&c.Addr, "127.0.0.1:8080", Flag{Name: "addr", Env: vars("ADDR"), Arg: "HOST:PORT", Usage: "cli.flag.addr", Check: hostPort})
	storeFlags(fs, &c.Store)
	fs.Bool(&c.Demo, Flag{Name: "demo", Env: vars("DEMO"), Usage: "cli.flag.demo"})
	fs.String(&c.BaseURL, "", Flag{Name: "base-url", Env: vars("BASE_URL"), Arg: "URL", Usage: "cli.flag.base_url", Default: "http://ADDR", Check: httpURL})
	fs.Int(&c.CacheMB, 64, 1, Flag{Name: "cache-mb", Env: vars("CACHE_MB"), Arg: "MIB", Usage: "cli.flag.cache_mb"})
	fs.Int64(&c.MaxUpload, 20<<20, 1, Flag{Name: "max-upload", Env: vars("MAX_UPLOAD"), Arg: "BYTES", Usage: "cli.flag.max_upload"})
	fs.Int(&c.DecodeMB, 192, 16, Flag{Name: "decode-mb", Env: vars("DECODE_MB"), Arg: "MIB", Usage: "cli.flag.decode_mb"})
	logFlag(fs, &c.LogLevel)
	fs.Bool(&c.AccessLogs, Flag{Name: "access-log", Env: vars("ACCESS_LOG"), Usage: "cli.flag.access_log"})
	fs.Bool(&c.TrustProxy, Flag{Name: "trust-proxy", Env: vars("TRUST_PROXY"), Usage: "cli.flag.trust_proxy"})
	filesFlags(fs, &c.Files)
	fs.String(&c.MediaPublicURL, "", Flag{Name: "media-public-url", Env: vars("MEDIA_PUBLIC_URL"), Arg: "URL", Usage: "cli.flag.media_public_url", Check: httpURL})
	fs.String(&c.DeskAddr, "", Flag{Name: "desk-addr", Env: vars("DESK_ADDR"), Arg: "HOST:PORT", Usage: "cli.flag.desk_addr", Check: optionalHostPort})
	fs.Prefixes(&c.DeskAllow, Flag{Name: "desk-allow", Env: vars("DESK_ALLOW"), Arg: "CIDR,…", Usage: "cli.flag.desk_allow"})
	fs.String(&c.MetricsToken, "", Flag{Name: "metrics-token", Env: vars("METRICS_TOKEN"), Arg: "TOKEN", Usage: "cli.flag.metrics_token", Redact: func(string) string { return "…" }})
	fs.Duration(&c.ReadTimeout, 30*time.Second, time.Second, Flag{Name: "read-timeout", Env: vars("READ_TIMEOUT"), Arg: "DURATION", Usage: "cli.flag.read_timeout"})
	fs.Duration(&c.WriteTimeout, time.Minute, time.Second, Flag{Name: "write-timeout", Env: vars("WRITE_TIMEOUT"), Arg: "DURATION", Usage: "cli.flag.write_timeout"})
	fs.Duration(&c.UploadTimeout, 10*time.Minute, time.Second, Flag{Name: "upload-timeout", Env: vars("UPLOAD_TIMEOUT"), Arg: "DURATION", Usage: "cli.flag.upload_timeout"})
	fs.Duration(&c.MediaTimeout, 10*time.Minute, time.Second, Flag{Name: "media-timeout", Env: vars("MEDIA_TIMEOUT"), Arg: "DURATION", Usage: "cli.flag.media_timeout"})
	fs.Int(&c.MaxConns, 1024, 1, Flag{Name: "max-conns", Env: vars("MAX_CONNS"), Arg: "N", Usage: "cli.flag.max_conns"})
	fs.String(&c.APICORSOrigins, "", Flag{Name: "api-cors-origins", Env: vars("API_CORS_ORIGINS"), Arg: "ORIGIN,…", Usage: "cli.flag.api_cors_origins", Check: corsOrigins})
	campusFlags(fs, &c.Campus)
	fs.Check(func() error {
		if c.BaseURL == "" {
			c.BaseURL = "http://" + c.Addr
		}
		if len(c.DeskAllow) > 0 && c.DeskAddr == "" {
			return problem("cli.desk_allow_needs_addr", fs.Source("desk-allow"))
		}
		if c.DeskAddr != "" && c.DeskAddr == c.Addr {
			return problem("cli.desk_addr_same", fs.Source("desk-addr"))
		}
		return nil
	})
	return c
}

// MigrateFlags defines migrate's flags on fs.
func MigrateFlags(fs *FlagSet) *Migrate {
	c := &Migrate{}
	storeFlags(fs, &c.Store)
	logFlag(fs, &c.LogLevel)
	return c
}

// ReindexFlags defines reindex's flags on fs.
func ReindexFlags(fs *FlagSet) *Reindex {
	c := &Reindex{}
	storeFlags(fs, &c.Store)
	logFlag(fs, &c.LogLevel)
	return c
}

// CheckFlags defines check's flags on fs; the files follow them.
func CheckFlags(fs *FlagSet) *Check {
	c := &Check{}
	storeFlags(fs, &c.Store)
	logFlag(fs, &c.LogLevel)
	fs.Rest(&c.Files)
	fs.Check(func() error {
		if len(c.Files) == 0 {
			return problem("cli.required", "FILE")
		}
		return nil
	})
	return c
}

// SelfcheckFlags defines selfcheck's flags on fs.
func SelfcheckFlags(fs *FlagSet) *Selfcheck {
	c := &Selfcheck{}
	storeFlags(fs, &c.Store)
	fs.String(&c.XLSX, "", Flag{Name: "xlsx", Env: vars("SELFCHECK_XLSX"), Arg: "FILE", Usage: "cli.flag.selfcheck_xlsx"})
	logFlag(fs, &c.LogLevel)
	return c
}

// AuditVerifyFlags defines audit verify's flags on fs.
func AuditVerifyFlags(fs *FlagSet) *Audit {
	c := &Audit{}
	storeFlags(fs, &c.Store)
	logFlag(fs, &c.LogLevel)
	return c
}

// AuditPurgeFlags defines audit purge's flags on fs.
func AuditPurgeFlags(fs *FlagSet) *Audit {
	c := AuditVerifyFlags(fs)
	fs.Int(&c.RetentionDays, 180, 180, Flag{Name: "retention-days", Env: vars("AUDIT_RETENTION_DAYS"), Arg: "DAYS", Usage: "cli.flag.audit_retention"})
	return c
}

// DemoFlags defines demo's flags on fs.
func DemoFlags(fs *FlagSet) *Demo {
	c := &Demo{}
	storeFlags(fs, &c.Store)
	filesFlags(fs, &c.Files)
	logFlag(fs, &c.LogLevel)
	return c
}

// TokenAddFlags defines token add's flags on fs.
func TokenAddFlags(fs *FlagSet) *TokenAdd {
	c := &TokenAdd{}
	fs.String(&c.Username, "", Flag{Name: "user", Arg: "USERNAME", Usage: "cli.flag.token_user"})
	fs.String(&c.Name, "", Flag{Name: "name", Arg: "LABEL", Usage: "cli.flag.token_name"})
	storeFlags(fs, &c.Store)
	logFlag(fs, &c.LogLevel)
	fs.Check(func() error {
		if c.Username == "" {
			return problem("cli.required", "--user")
		}
		return nil
	})
	return c
}

// UserAddFlags defines user add's flags on fs.
func UserAddFlags(fs *FlagSet) *UserAdd {
	c := &UserAdd{}
	var roles string
	fs.String(&c.Username, "", Flag{Name: "name", Arg: "USERNAME", Usage: "cli.flag.user_name"})
	fs.String(&roles, "", Flag{Name: "role", Arg: "ROLE[,ROLE]", Usage: "cli.flag.user_role"})
	fs.String(&c.Unit, "", Flag{Name: "unit", Arg: "UNIT", Usage: "cli.flag.user_unit"})
	fs.String(&c.DisplayName, "", Flag{Name: "display-name", Arg: "NAME", Usage: "cli.flag.user_display_name"})
	storeFlags(fs, &c.Store)
	logFlag(fs, &c.LogLevel)
	fs.String(&c.Password, "", Flag{Env: vars("PASSWORD"), Usage: "cli.flag.user_password"})
	fs.Check(func() error {
		c.Roles = strings.FieldsFunc(roles, func(r rune) bool { return r == ',' || r == ' ' })
		if c.Username == "" {
			return problem("cli.required", "--name")
		}
		if len(c.Roles) == 0 {
			return problem("cli.required", "--role")
		}
		return nil
	})
	return c
}

// CopyFlags defines copy's flags on fs.
func CopyFlags(fs *FlagSet) *Copy {
	c := &Copy{}
	fs.String(&c.From, "", Flag{Name: "from", Env: vars("COPY_FROM"), Arg: "SRC", Usage: "cli.flag.copy_from", Redact: redactURL})
	fs.String(&c.To, "", Flag{Name: "to", Env: vars("COPY_TO"), Arg: "DST", Usage: "cli.flag.copy_to", Redact: redactURL})
	fs.String(&c.FromMedia, "", Flag{Name: "from-media", Env: vars("COPY_FROM_MEDIA"), Arg: "M", Usage: "cli.flag.copy_from_media"})
	fs.String(&c.ToMedia, "", Flag{Name: "to-media", Env: vars("COPY_TO_MEDIA"), Arg: "M", Usage: "cli.flag.copy_to_media"})
	fs.Bool(&c.SkipSessions, Flag{Name: "skip-sessions", Env: vars("COPY_SKIP_SESSIONS"), Usage: "cli.flag.copy_skip_sessions"})
	s3Flags(fs, &c.S3)
	logFlag(fs, &c.LogLevel)
	fs.Check(func() error { return c.validate(fs) })
	return c
}

// validate checks that both sides of a copy are named, and their media
// where the database does not imply it.
func (c *Copy) validate(fs *FlagSet) error {
	if c.From == "" {
		return problem("cli.required", "--from")
	}
	if c.To == "" {
		return problem("cli.required", "--to")
	}
	for _, side := range []struct{ flag, db, media string }{{"from", c.From, c.FromMedia}, {"to", c.To, c.ToMedia}} {
		switch {
		case strings.HasPrefix(side.db, "sqlite:"):
			if strings.TrimPrefix(side.db, "sqlite:") == "" {
				return problem("cli.bad_value", fs.Source(side.flag), fs.Shown(side.flag, side.db), problem("cli.want_site"))
			}
		case isPostgres(side.db):
			if side.media == "" {
				return problem("cli.copy_needs_media", fs.Source(side.flag), "--"+side.flag+"-media")
			}
		default:
			return problem("cli.bad_value", fs.Source(side.flag), fs.Shown(side.flag, side.db), problem("cli.want_site"))
		}
	}
	if c.From == c.To {
		return problem("cli.copy_same")
	}
	return nil
}

// vars names the NEWSDESK_ variable of a flag.
func vars(name string) []string { return []string{"NEWSDESK_" + name} }

func storeFlags(fs *FlagSet, c *Store) {
	fs.String(&c.Data, "./data", Flag{Name: "data", Env: vars("DATA"), Arg: "DIR", Usage: "cli.flag.data", Check: nonEmpty})
	fs.String(&c.DB, "", Flag{Name: "db", Env: vars("DB"), Arg: "postgres://…", Usage: "cli.flag.db", Check: database, Redact: redactURL})
}

func filesFlags(fs *FlagSet, c *Files) {
	fs.String(&c.Media, "", Flag{Name: "media", Env: vars("MEDIA"), Arg: "s3://BUCKET/PREFIX", Usage: "cli.flag.media", Check: s3URL})
	s3Flags(fs, &c.S3)
}

func s3Flags(fs *FlagSet, c *S3) {
	fs.String(&c.Endpoint, "", Flag{Name: "s3-endpoint", Env: append(vars("S3_ENDPOINT"), "AWS_ENDPOINT_URL"), Arg: "URL", Usage: "cli.flag.s3_endpoint"})
	fs.String(&c.Region, "us-east-1", Flag{Name: "s3-region", Env: append(vars("S3_REGION"), "AWS_REGION"), Arg: "REGION", Usage: "cli.flag.s3_region"})
	fs.String(&c.AccessKey, "", Flag{Name: "s3-access-key", Env: append(vars("S3_ACCESS_KEY"), "AWS_ACCESS_KEY_ID"), Arg: "KEY", Usage: "cli.flag.s3_access_key"})
	fs.String(&c.SecretKey, "", Flag{Env: append(vars("S3_SECRET_KEY"), "AWS_SECRET_ACCESS_KEY"), Usage: "cli.flag.s3_secret_key"})
}

func campusFlags(fs *FlagSet, c *Campus) {
	fs.String(&c.CASURL, "", Flag{Name: "cas-url", Env: vars("CAS_URL"), Arg: "URL", Usage: "cli.flag.cas_url", Check: httpURL})
	fs.String(&c.OIDCIssuer, "", Flag{Name: "oidc-issuer", Env: vars("OIDC_ISSUER"), Arg: "URL", Usage: "cli.flag.oidc_issuer", Check: httpURL})
	fs.String(&c.OIDCClientID, "", Flag{Name: "oidc-client-id", Env: vars("OIDC_CLIENT_ID"), Arg: "ID", Usage: "cli.flag.oidc_client_id"})
	fs.String(&c.OIDCClientSecret, "", Flag{Name: "oidc-client-secret", Env: vars("OIDC_CLIENT_SECRET"), Arg: "SECRET", Usage: "cli.flag.oidc_client_secret",
		Redact: func(string) string { return "…" }})
	fs.String(&c.DepartmentClaim, "department", Flag{Name: "campus-department-claim", Env: vars("CAMPUS_DEPARTMENT_CLAIM"), Arg: "NAME", Usage: "cli.flag.campus_department_claim", Check: nonEmptyName})
	fs.String(&c.DeskURL, "", Flag{Name: "desk-url", Env: vars("DESK_URL"), Arg: "URL", Usage: "cli.flag.desk_url", Default: "--base-url", Check: httpURL})
	fs.Check(func() error {
		if c.OIDCIssuer != "" && c.OIDCClientID == "" {
			return problem("cli.required", "--oidc-client-id")
		}
		return nil
	})
}

func nonEmptyName(v string) *Error {
	if strings.TrimSpace(v) == "" {
		return problem("cli.want_name")
	}
	return nil
}

func logFlag(fs *FlagSet, l *slog.Level) {
	var level string
	fs.String(&level, "info", Flag{Name: "log-level", Env: vars("LOG_LEVEL"), Arg: "LEVEL", Usage: "cli.flag.log_level", Check: func(v string) *Error {
		switch v {
		case "debug", "info", "warn", "error":
			if l.UnmarshalText([]byte(v)) == nil {
				return nil
			}
		}
		return problem("cli.want_level")
	}})
}

func hostPort(v string) *Error {
	if _, _, err := net.SplitHostPort(v); err != nil {
		return problem("cli.want_hostport")
	}
	return nil
}

func optionalHostPort(v string) *Error {
	if v == "" {
		return nil
	}
	return hostPort(v)
}

func nonEmpty(v string) *Error {
	if strings.TrimSpace(v) == "" {
		return problem("cli.want_folder")
	}
	return nil
}

func httpURL(v string) *Error {
	if v != "" && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
		return problem("cli.want_http")
	}
	return nil
}

// corsOrigins checks a list of web origins: "*", or scheme://host[:port]
// each, without a path (a browser's Origin header has none).
func corsOrigins(v string) *Error {
	for _, o := range splitOrigins(v) {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
			return problem("cli.want_origin")
		}
	}
	return nil
}

// redactURL hides the password of a URL (postgres://user:password@…).
func redactURL(v string) string {
	if u, err := url.Parse(v); err == nil && u.User != nil {
		return u.Redacted()
	}
	if i := strings.LastIndex(v, "@"); i >= 0 { // not a URL, but may hold one's password
		return "…" + v[i:]
	}
	return v
}

func isPostgres(v string) bool {
	return strings.HasPrefix(v, "postgres://") || strings.HasPrefix(v, "postgresql://")
}

func database(v string) *Error {
	if v != "" && !isPostgres(v) {
		return problem("cli.want_db")
	}
	return nil
}

func s3URL(v string) *Error {
	if v != "" && !strings.HasPrefix(v, "s3://") {
		return problem("cli.want_media")
	}
	return nil
}
