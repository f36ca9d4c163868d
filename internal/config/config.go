// Package config holds Newsdesk's configuration: one struct, defaults that
// work, every flag also an environment variable NEWSDESK_<NAME>.
package config

import (
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// Config is everything the binary can be told.
type Config struct {
	Addr       string
	Data       string
	Demo       bool
	BaseURL    string
	CacheMB    int
	MaxUpload  int64
	LogLevel   string
	AccessLogs bool
	// TrustProxy takes the client's address from X-Forwarded-For (its last
	// entry, the one the proxy added), for sign-in limits and the audit log.
	TrustProxy bool
	// DB selects the database: "" is SQLite under Data; postgres://… is
	// PostgreSQL.
	DB string
	// Media selects the media storage: "" is the folder media/ under Data;
	// s3://bucket/prefix is an S3-compatible bucket reached through S3.
	Media string
	S3    S3
	// NewUser is what "newsdesk user add" creates.
	NewUser NewUser
	// Copy is what "newsdesk copy" copies from and to.
	Copy Copy
}

// S3 is how to reach S3-compatible storage. Credentials default to the
// standard AWS environment variables.
type S3 struct {
	Endpoint  string // host:port or URL; default the AWS endpoint of Region
	Region    string
	AccessKey string
	SecretKey string
	// PublicURL, when set, is where readers fetch media (a CDN or the
	// bucket's public address) instead of through Newsdesk.
	PublicURL string
}

// NewUser are the flags of "newsdesk user add"; the password is read from
// standard input (or NEWSDESK_PASSWORD), never from a flag that other users
// of the machine could see.
type NewUser struct {
	Username    string
	DisplayName string
	Roles       []string
	Unit        string
}

// Copy are the flags of "newsdesk copy": a site's database and media
// storage, and where they go. From and To are sqlite:DIR (a data folder,
// with its media under DIR/media unless FromMedia/ToMedia say otherwise) or
// postgres://… (then FromMedia/ToMedia must name the media: s3://bucket/prefix
// or a folder).
type Copy struct {
	From, To           string
	FromMedia, ToMedia string
	// SkipSessions leaves the sign-ins behind: everyone signs in again.
	SkipSessions bool
}

// Parse reads flags for a subcommand, with environment variables as
// defaults, and validates the result.
func Parse(name string, args []string) (Config, error) {
	c := Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", env("ADDR", "127.0.0.1:8080"), "listen address HOST:PORT (NEWSDESK_ADDR)")
	fs.StringVar(&c.Data, "data", env("DATA", "./data"), "folder for the SQLite database and media files (NEWSDESK_DATA)")
	fs.BoolVar(&c.Demo, "demo", envBool("DEMO"), "fill an empty site with demo content (NEWSDESK_DEMO)")
	fs.StringVar(&c.BaseURL, "base-url", env("BASE_URL", ""), "public address of the site for feeds and canonical links; default http://ADDR (NEWSDESK_BASE_URL)")
	fs.IntVar(&c.CacheMB, "cache-mb", envInt("CACHE_MB", 64), "memory for the rendered page cache, in MiB (NEWSDESK_CACHE_MB)")
	fs.Int64Var(&c.MaxUpload, "max-upload", int64(envInt("MAX_UPLOAD", 20<<20)), "largest accepted upload, in bytes (NEWSDESK_MAX_UPLOAD)")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (NEWSDESK_LOG_LEVEL)")
	fs.BoolVar(&c.AccessLogs, "access-log", envBool("ACCESS_LOG"), "log every request, cached pages included (NEWSDESK_ACCESS_LOG)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", envBool("TRUST_PROXY"), "behind a reverse proxy: take client addresses from X-Forwarded-For (NEWSDESK_TRUST_PROXY)")
	fs.StringVar(&c.DB, "db", env("DB", ""), "database: empty for SQLite under --data, or postgres://USER:PASS@HOST/DB (NEWSDESK_DB)")
	fs.StringVar(&c.Media, "media", env("MEDIA", ""), "media storage: empty for the folder under --data, or s3://BUCKET/PREFIX (NEWSDESK_MEDIA)")
	fs.StringVar(&c.S3.Endpoint, "s3-endpoint", env("S3_ENDPOINT", os.Getenv("AWS_ENDPOINT_URL")), "S3-compatible endpoint, e.g. http://127.0.0.1:7070 (NEWSDESK_S3_ENDPOINT, AWS_ENDPOINT_URL)")
	fs.StringVar(&c.S3.Region, "s3-region", env("S3_REGION", envOr("AWS_REGION", "us-east-1")), "S3 region (NEWSDESK_S3_REGION, AWS_REGION)")
	fs.StringVar(&c.S3.AccessKey, "s3-access-key", env("S3_ACCESS_KEY", os.Getenv("AWS_ACCESS_KEY_ID")), "S3 access key (NEWSDESK_S3_ACCESS_KEY, AWS_ACCESS_KEY_ID)")
	c.S3.SecretKey = env("S3_SECRET_KEY", os.Getenv("AWS_SECRET_ACCESS_KEY")) // never a flag: other users could read it
	fs.StringVar(&c.S3.PublicURL, "media-public-url", env("MEDIA_PUBLIC_URL", ""), "public base URL of the media (a CDN); default: served through Newsdesk (NEWSDESK_MEDIA_PUBLIC_URL)")
	var roles string
	if name == "user add" {
		fs.StringVar(&c.NewUser.Username, "name", "", "username to sign in with (required)")
		fs.StringVar(&c.NewUser.DisplayName, "display-name", "", "name shown in the desk (default: the username)")
		fs.StringVar(&roles, "role", "", "contributor, reviewer, editor or admin; several separated by commas (required)")
		fs.StringVar(&c.NewUser.Unit, "unit", "", "the unit (单位) of a contributor or reviewer; created if new")
	}
	if name == "copy" {
		fs.StringVar(&c.Copy.From, "from", env("COPY_FROM", ""), "the site to copy: sqlite:DIR (a data folder) or postgres://… (NEWSDESK_COPY_FROM)")
		fs.StringVar(&c.Copy.To, "to", env("COPY_TO", ""), "where to copy it, empty: sqlite:DIR or postgres://… (NEWSDESK_COPY_TO)")
		fs.StringVar(&c.Copy.FromMedia, "from-media", env("COPY_FROM_MEDIA", ""), "the media of --from: s3://BUCKET/PREFIX or a folder; default DIR/media for sqlite:DIR (NEWSDESK_COPY_FROM_MEDIA)")
		fs.StringVar(&c.Copy.ToMedia, "to-media", env("COPY_TO_MEDIA", ""), "the media of --to, empty: s3://BUCKET/PREFIX or a folder; default DIR/media for sqlite:DIR (NEWSDESK_COPY_TO_MEDIA)")
		fs.BoolVar(&c.Copy.SkipSessions, "skip-sessions", envBool("COPY_SKIP_SESSIONS"), "leave the sign-in sessions behind: everyone signs in again (NEWSDESK_COPY_SKIP_SESSIONS)")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if name == "copy" {
		if err := c.Copy.validate(); err != nil {
			return c, err
		}
	}
	if name == "user add" {
		c.NewUser.Roles = strings.FieldsFunc(roles, func(r rune) bool { return r == ',' || r == ' ' })
		if c.NewUser.Username == "" || len(c.NewUser.Roles) == 0 {
			return c, fmt.Errorf("user add needs --name and --role")
		}
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return c, fmt.Errorf("--addr %q: want HOST:PORT: %w", c.Addr, err)
	}
	if c.Data == "" {
		return c, fmt.Errorf("--data must name a folder")
	}
	if c.CacheMB < 1 {
		return c, fmt.Errorf("--cache-mb must be at least 1")
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	if !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		return c, fmt.Errorf("--base-url %q must start with http:// or https://", c.BaseURL)
	}
	if c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return c, fmt.Errorf("--db %q: want empty (SQLite) or postgres://…", c.DB)
	}
	if c.Media != "" && !strings.HasPrefix(c.Media, "s3://") {
		return c, fmt.Errorf("--media %q: want empty (local folder) or s3://BUCKET/PREFIX", c.Media)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return c, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	return c, nil
}

// validate checks that both sides of a copy are named, and their media
// where the database does not imply it.
func (c Copy) validate() error {
	if c.From == "" || c.To == "" {
		return fmt.Errorf("copy needs --from and --to (sqlite:DIR or postgres://…)")
	}
	for _, side := range []struct{ flag, db, media string }{{"from", c.From, c.FromMedia}, {"to", c.To, c.ToMedia}} {
		switch {
		case strings.HasPrefix(side.db, "sqlite:"):
			if strings.TrimPrefix(side.db, "sqlite:") == "" {
				return fmt.Errorf("--%s %q: want sqlite:DIR, the data folder", side.flag, side.db)
			}
		case strings.HasPrefix(side.db, "postgres://") || strings.HasPrefix(side.db, "postgresql://"):
			if side.media == "" {
				return fmt.Errorf("--%s is PostgreSQL: --%s-media must name its media storage (s3://BUCKET/PREFIX or a folder)", side.flag, side.flag)
			}
		default:
			return fmt.Errorf("--%s %q: want sqlite:DIR or postgres://…", side.flag, side.db)
		}
	}
	if c.From == c.To {
		return fmt.Errorf("--from and --to name the same database")
	}
	return nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv("NEWSDESK_" + name); ok {
		return v
	}
	return def
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envBool(name string) bool {
	v, _ := strconv.ParseBool(env(name, "false"))
	return v
}

func envInt(name string, def int) int {
	n, err := strconv.Atoi(env(name, strconv.Itoa(def)))
	if err != nil {
		return def
	}
	return n
}
