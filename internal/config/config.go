// Package config holds what each of Newsdesk's subcommands can be told: one
// struct per subcommand, the flags that fill it (each also an environment
// variable NEWSDESK_<NAME>, except user add's own), defaults that work, and
// checks that name the flag or variable a bad value came from.
package config

import (
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"strconv"
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
	Addr    string
	BaseURL string // default http://Addr
	CacheMB int
	// MemoryLimitMB is the Go runtime's soft memory limit in MiB
	// (debug.SetMemoryLimit): the collector runs more often near it
	// instead of letting the heap grow to twice what is live. 0 leaves
	// the runtime's own (GOMEMLIMIT, or none).
	MemoryLimitMB int
	MaxUpload     int64
	// DecodeMB bounds the memory decoding photos may take at once
	// (uploads and variants), in MiB.
	DecodeMB   int
	LogLevel   slog.Level
	AccessLogs bool
	// TrustProxy takes the client's address from X-Forwarded-For (its last
	// entry, the one the proxy added), for sign-in limits and the audit log.
	TrustProxy bool
	Demo       bool // fill an empty site with demo content first
	// SearchLater leaves the check that the search index holds every
	// article (and its rebuild when not) to the caller instead of
	// app.Open: serve runs it once listening, as it walks the whole index
	// (0.5 s of CPU at 1,000,000 articles) and is almost never needed.
	SearchLater bool `json:"-"`
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
	SMTP           SMTP
	// StaticOut, when set, is a folder kept as a static copy of the public
	// site: exported at start, updated after every change (生成静态页).
	StaticOut string
	// StaticWatch restores the folder's files when anyone else changes them.
	StaticWatch bool
	// StaticCheck is how often the watcher checks every file.
	StaticCheck time.Duration
	// SearchURL is where the static copy's search box sends readers.
	SearchURL string
	// StaticHash is the manifest's digest: sha256 (default) or sm3.
	StaticHash string
	// StaticBucket, when set, is an S3 bucket (s3://BUCKET/PREFIX, on the
	// server of Files.S3) that gets every file of the static copy too.
	StaticBucket string
	// StaticAlert says who is alerted when the copy is found altered.
	StaticAlert StaticAlert
}

// StaticAlert is who hears of a static folder found altered, beyond the
// log and the audit log.
type StaticAlert struct {
	// Webhook gets a JSON POST of each finding (sent by the job runner).
	Webhook string
	// Mail is an address mailed each finding (through SMTP).
	Mail string
}

// SMTP is the mail server Newsdesk sends through (notifications, outside
// approvers' links). Without a URL no mail is sent; notifications stay in
// the desk.
type SMTP struct {
	// URL is smtp://[user[:password]@]host[:port][?tls=none] (STARTTLS,
	// port 587) or smtps://… (TLS from the first byte, port 465).
	URL string
	// From is the sender's address, e.g. "新闻中心 <news@example.edu.cn>".
	From string
	// Password is NEWSDESK_SMTP_PASSWORD, used when the URL has none:
	// other users of the machine can read a command line.
	Password string

	// Parsed from URL by the check.
	Host, Port, Username string
	// Implicit: smtps://, TLS from the first byte.
	Implicit bool
	// NoTLS (?tls=none) lets plain SMTP go to a host that offers no
	// STARTTLS; without it only the loopback may be spoken to in the clear.
	NoTLS bool
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
	// ExternalLinks turns the network checks on for this run: each outside
	// link visited, one at a time, LinkDelay apart, LinkTimeout each.
	ExternalLinks          bool
	LinkDelay, LinkTimeout time.Duration
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

// Import is what "newsdesk import wxr" and "import feed" need: the site
// they write to and what to read.
type Import struct {
	Store
	Files
	LogLevel slog.Level
	// File is the export file (wxr), or the feed's file or address (feed).
	File string
	// Uploads is a local copy of the old site's wp-content/uploads folder.
	Uploads string
	DryRun  bool
	// AsUsers makes the source's authors desk users (wxr).
	AsUsers bool
	// Pages bounds how many pages of a paged feed are read.
	Pages int
}

// ImportWXRFlags defines import wxr's flags on fs.
func ImportWXRFlags(fs *FlagSet) *Import {
	c := &Import{}
	fs.Arg(&c.File, "FILE.xml", "cli.arg.wxr_file")
	fs.String(&c.Uploads, "", Flag{Name: "uploads", Env: vars("IMPORT_UPLOADS"), Arg: "DIR", Usage: "cli.flag.import_uploads"})
	fs.Bool(&c.DryRun, Flag{Name: "dry-run", Env: vars("IMPORT_DRY_RUN"), Usage: "cli.flag.import_dry_run"})
	fs.Bool(&c.AsUsers, Flag{Name: "as-users", Env: vars("IMPORT_AS_USERS"), Usage: "cli.flag.import_as_users"})
	storeFlags(fs, &c.Store)
	filesFlags(fs, &c.Files)
	logFlag(fs, &c.LogLevel)
	return c
}

// ImportFeedFlags defines import feed's flags on fs.
func ImportFeedFlags(fs *FlagSet) *Import {
	c := &Import{}
	fs.Arg(&c.File, "URL|FILE", "cli.arg.feed")
	fs.Bool(&c.DryRun, Flag{Name: "dry-run", Env: vars("IMPORT_DRY_RUN"), Usage: "cli.flag.import_dry_run"})
	fs.Int(&c.Pages, 100, 1, Flag{Name: "pages", Env: vars("IMPORT_PAGES"), Arg: "N", Usage: "cli.flag.import_pages"})
	storeFlags(fs, &c.Store)
	filesFlags(fs, &c.Files)
	logFlag(fs, &c.LogLevel)
	return c
}

// Crawl is what "newsdesk import crawl" needs: where to start, the page
// structure (a preset, or selectors of its own, which override the
// preset's), and how politely.
type Crawl struct {
	Store
	Files
	LogLevel slog.Level
	Start    string
	Preset   string
	// CSS selectors: the list of stories on a list page, the links in it,
	// the next list page, and a story's title, date, body and source.
	List, Link, Next, Title, Date, Body, Source string
	Delay                                       time.Duration
	IgnoreRobots                                bool
	MaxLists                                    int
	DryRun                                      bool
}

// ImportCrawlFlags defines import crawl's flags on fs.
func ImportCrawlFlags(fs *FlagSet) *Crawl {
	c := &Crawl{}
	fs.String(&c.Start, "", Flag{Name: "start", Arg: "URL", Usage: "cli.flag.crawl_start", Check: httpURL})
	fs.String(&c.Preset, "", Flag{Name: "preset", Arg: "vsb|webplus", Usage: "cli.flag.crawl_preset"})
	for _, sel := range []struct {
		p    *string
		name string
	}{{&c.List, "list"}, {&c.Link, "link"}, {&c.Next, "next"}, {&c.Title, "title"}, {&c.Date, "date"}, {&c.Body, "body"}, {&c.Source, "source"}} {
		fs.String(sel.p, "", Flag{Name: sel.name, Arg: "SELECTOR", Usage: "cli.flag.crawl_" + sel.name})
	}
	fs.Duration(&c.Delay, time.Second, 0, Flag{Name: "delay", Env: vars("CRAWL_DELAY"), Arg: "DURATION", Usage: "cli.flag.crawl_delay"})
	fs.Bool(&c.IgnoreRobots, Flag{Name: "ignore-robots", Usage: "cli.flag.crawl_ignore_robots"})
	fs.Int(&c.MaxLists, 1000, 1, Flag{Name: "max-lists", Arg: "N", Usage: "cli.flag.crawl_max_lists"})
	fs.Bool(&c.DryRun, Flag{Name: "dry-run", Env: vars("IMPORT_DRY_RUN"), Usage: "cli.flag.import_dry_run"})
	storeFlags(fs, &c.Store)
	filesFlags(fs, &c.Files)
	logFlag(fs, &c.LogLevel)
	fs.Check(func() error {
		switch {
		case c.Start == "":
			return problem("cli.required", "--start")
		case c.Preset != "" && c.Preset != "vsb" && c.Preset != "webplus":
			return problem("cli.bad_value", fs.Source("preset"), c.Preset, problem("cli.want_preset"))
		case c.Preset == "" && (c.Link == "" || c.Title == "" || c.Date == "" || c.Body == ""):
			return problem("cli.crawl_needs_selectors")
		}
		return nil
	})
	return c
}

// Export is what "newsdesk export wxr" needs.
type Export struct {
	Store
	LogLevel slog.Level
	Out      string
	// BaseURL is the site's public address, which the export's links
	// and picture addresses start with.
	BaseURL string
}

// ExportWXRFlags defines export wxr's flags on fs.
func ExportWXRFlags(fs *FlagSet) *Export {
	c := &Export{}
	fs.String(&c.Out, "", Flag{Name: "out", Arg: "FILE", Usage: "cli.flag.export_out"})
	fs.String(&c.BaseURL, "", Flag{Name: "base-url", Env: vars("BASE_URL"), Arg: "URL", Usage: "cli.flag.base_url", Check: httpURL})
	storeFlags(fs, &c.Store)
	logFlag(fs, &c.LogLevel)
	fs.Check(func() error {
		if c.Out == "" {
			return problem("cli.required", "--out")
		}
		if c.BaseURL == "" {
			return problem("cli.required", "--base-url")
		}
		return nil
	})
	return c
}

// SiteExport is what "newsdesk export site" needs: the site, the archive
// to write and whether its secrets go in.
type SiteExport struct {
	Store
	Files
	LogLevel    slog.Level
	Out         string
	WithSecrets bool
}

// SiteExportFlags defines export site's flags on fs.
func SiteExportFlags(fs *FlagSet) *SiteExport {
	c := &SiteExport{}
	fs.String(&c.Out, "", Flag{Name: "out", Arg: "FILE", Usage: "cli.flag.export_out"})
	fs.Bool(&c.WithSecrets, Flag{Name: "with-secrets", Usage: "cli.flag.export_secrets"})
	storeFlags(fs, &c.Store)
	filesFlags(fs, &c.Files)
	logFlag(fs, &c.LogLevel)
	fs.Check(func() error {
		if c.Out == "" {
			return problem("cli.required", "--out")
		}
		return nil
	})
	return c
}

// SiteImport is what "newsdesk import site" needs: the archive and the
// empty site it is restored into.
type SiteImport struct {
	Store
	Files
	LogLevel slog.Level
	File     string
}

// SiteImportFlags defines import site's flags on fs; the archive is its
// argument.
func SiteImportFlags(fs *FlagSet) *SiteImport {
	c := &SiteImport{}
	fs.Arg(&c.File, "FILE.zip", "cli.arg.site_archive")
	storeFlags(fs, &c.Store)
	filesFlags(fs, &c.Files)
	logFlag(fs, &c.LogLevel)
	return c
}

// StaticExport is what "newsdesk export static" needs: the site, the folder
// to write it into, and the addresses its pages name.
type StaticExport struct {
	Store Store
	Files Files
	Out   string
	// BaseURL replaces the site's public address (feeds, sitemaps, links).
	BaseURL string
	// SearchURL is where the exported pages' search box sends readers: a
	// dynamic Newsdesk (default /search on the same host).
	SearchURL string
	// Manifest is the manifest, kept outside Out (default Out.sha256, or
	// Out.sm3 with that Hash).
	Manifest string
	// Hash is the manifest's digest: sha256 (default) or sm3.
	Hash string
	// Bucket, when set, is an S3 bucket (s3://BUCKET/PREFIX) the export is
	// copied into (export static only).
	Bucket   string
	LogLevel slog.Level
}

// StaticVerify is what "newsdesk static verify" needs: the exported folder,
// its manifest, and whether to restore what is wrong from the store.
type StaticVerify struct {
	StaticExport
	Restore bool
	Alert   StaticAlert
	// SMTP queues the mail alert (a serve's job runner sends it).
	SMTP SMTP
}

// StaticExportFlags defines export static's flags on fs.
func StaticExportFlags(fs *FlagSet) *StaticExport {
	c := &StaticExport{}
	fs.String(&c.Out, "", Flag{Name: "out", Env: vars("STATIC_OUT"), Arg: "DIR", Usage: "cli.flag.static_out", Check: nonEmpty})
	staticFlags(fs, c)
	fs.String(&c.Bucket, "", Flag{Name: "bucket", Env: vars("STATIC_BUCKET"), Arg: "s3://BUCKET/PREFIX", Usage: "cli.flag.static_bucket", Check: s3URL})
	return c
}

// StaticVerifyFlags defines static verify's flags on fs; the folder is
// its argument.
func StaticVerifyFlags(fs *FlagSet) *StaticVerify {
	c := &StaticVerify{}
	fs.Arg(&c.Out, "DIR", "cli.flag.static_out")
	fs.Bool(&c.Restore, Flag{Name: "restore", Usage: "cli.flag.static_restore"})
	staticFlags(fs, &c.StaticExport)
	staticAlertFlags(fs, &c.Alert)
	smtpFlags(fs, &c.SMTP)
	fs.Check(func() error {
		if c.Alert.Mail != "" && c.SMTP.URL == "" {
			return problem("cli.static_alert_mail_needs_smtp", fs.Source("static-alert-mail"))
		}
		return nil
	})
	return c
}

func staticAlertFlags(fs *FlagSet, c *StaticAlert) {
	fs.String(&c.Webhook, "", Flag{Name: "static-alert-webhook", Env: vars("STATIC_ALERT_WEBHOOK"), Arg: "URL", Usage: "cli.flag.static_alert_webhook", Check: httpURL})
	fs.String(&c.Mail, "", Flag{Name: "static-alert-mail", Env: vars("STATIC_ALERT_MAIL"), Arg: "ADDRESS", Usage: "cli.flag.static_alert_mail", Check: mailAddress})
}

// staticHash checks a manifest digest's name (staticsite.Hashes).
func staticHash(v string) *Error {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "sha256", "sm3":
		return nil
	}
	return problem("cli.want_hash")
}

func staticFlags(fs *FlagSet, c *StaticExport) {
	fs.String(&c.BaseURL, "", Flag{Name: "base-url", Env: vars("BASE_URL"), Arg: "URL", Usage: "cli.flag.base_url", Check: httpURL})
	fs.String(&c.SearchURL, "", Flag{Name: "search-url", Env: vars("SEARCH_URL"), Arg: "URL", Usage: "cli.flag.search_url", Default: "/search"})
	fs.String(&c.Manifest, "", Flag{Name: "manifest", Env: vars("STATIC_MANIFEST"), Arg: "FILE", Usage: "cli.flag.static_manifest", Default: "DIR.sha256"})
	fs.String(&c.Hash, "", Flag{Name: "hash", Env: vars("STATIC_HASH"), Arg: "sha256|sm3", Usage: "cli.flag.static_hash", Default: "sha256", Check: staticHash})
	storeFlags(fs, &c.Store)
	filesFlags(fs, &c.Files)
	logFlag(fs, &c.LogLevel)
	fs.Check(func() error {
		if c.Out == "" {
			return problem("cli.static_out_missing")
		}
		return nil
	})
}

// Parse reads serve's flags from args and the process environment: how
// tests and benchmarks build the application as "newsdesk serve" would.
func Parse(name string, args []string) (Serve, error) {
	fs := NewFlagSet(name, os.LookupEnv)
	c := ServeFlags(fs)
	err := fs.Parse(args)
	return *c, err
}

// DefaultMemoryLimitMB is serve's default soft memory limit: above what the
// server holds with a full page cache (64 MiB) and the photo decoding
// budget (192 MiB) in use at once, so it never makes the collector run
// without end, yet low enough that the heap no longer doubles over what is
// live after large pages (measured in bench/README.md, issue 14).
const DefaultMemoryLimitMB = 384

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
	fs.Int(&c.MemoryLimitMB, DefaultMemoryLimitMB, 0, Flag{Name: "memory-limit-mb", Env: vars("MEMORY_LIMIT_MB"), Arg: "MIB", Usage: "cli.flag.memory_limit_mb"})
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
	smtpFlags(fs, &c.SMTP)
	fs.String(&c.StaticOut, "", Flag{Name: "static-out", Env: vars("STATIC_OUT"), Arg: "DIR", Usage: "cli.flag.static_out_serve"})
	fs.Bool(&c.StaticWatch, Flag{Name: "static-watch", Env: vars("STATIC_WATCH"), Usage: "cli.flag.static_watch"})
	fs.Duration(&c.StaticCheck, time.Minute, time.Second, Flag{Name: "static-check", Env: vars("STATIC_CHECK"), Arg: "DURATION", Usage: "cli.flag.static_check"})
	fs.String(&c.SearchURL, "", Flag{Name: "search-url", Env: vars("SEARCH_URL"), Arg: "URL", Usage: "cli.flag.search_url", Default: "/search"})
	fs.String(&c.StaticHash, "", Flag{Name: "static-hash", Env: vars("STATIC_HASH"), Arg: "sha256|sm3", Usage: "cli.flag.static_hash", Default: "sha256", Check: staticHash})
	fs.String(&c.StaticBucket, "", Flag{Name: "static-bucket", Env: vars("STATIC_BUCKET"), Arg: "s3://BUCKET/PREFIX", Usage: "cli.flag.static_bucket", Check: s3URL})
	staticAlertFlags(fs, &c.StaticAlert)
	fs.Check(func() error {
		if c.StaticWatch && c.StaticOut == "" {
			return problem("cli.static_watch_needs_out", fs.Source("static-watch"))
		}
		if c.StaticAlert.Mail != "" && c.SMTP.URL == "" {
			return problem("cli.static_alert_mail_needs_smtp", fs.Source("static-alert-mail"))
		}
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
	fs.Bool(&c.ExternalLinks, Flag{Name: "external-links", Env: vars("SELFCHECK_EXTERNAL_LINKS"), Usage: "cli.flag.selfcheck_external_links"})
	fs.Duration(&c.LinkDelay, time.Second, 0, Flag{Name: "link-delay", Env: vars("SELFCHECK_LINK_DELAY"), Arg: "DURATION", Usage: "cli.flag.selfcheck_link_delay"})
	fs.Duration(&c.LinkTimeout, 10*time.Second, time.Second, Flag{Name: "link-timeout", Env: vars("SELFCHECK_LINK_TIMEOUT"), Arg: "DURATION", Usage: "cli.flag.selfcheck_link_timeout"})
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

func smtpFlags(fs *FlagSet, c *SMTP) {
	fs.String(&c.URL, "", Flag{Name: "smtp-url", Env: vars("SMTP_URL"), Arg: "smtp://USER@HOST:PORT", Usage: "cli.flag.smtp_url", Check: smtpURL, Redact: redactURL})
	fs.String(&c.From, "", Flag{Name: "mail-from", Env: vars("MAIL_FROM"), Arg: "ADDRESS", Usage: "cli.flag.mail_from", Check: mailAddress})
	fs.String(&c.Password, "", Flag{Env: vars("SMTP_PASSWORD"), Usage: "cli.flag.smtp_password"})
	fs.Check(func() error {
		if c.URL == "" {
			return nil
		}
		if c.From == "" {
			return problem("cli.required", "--mail-from")
		}
		u, _ := url.Parse(c.URL) // checked by smtpURL
		c.Host, c.Port = u.Hostname(), u.Port()
		c.Implicit = u.Scheme == "smtps"
		if c.Port == "" {
			c.Port = map[bool]string{true: "465", false: "587"}[c.Implicit]
		}
		c.NoTLS = u.Query().Get("tls") == "none"
		if u.User != nil {
			c.Username = u.User.Username()
			if p, ok := u.User.Password(); ok {
				c.Password = p
			}
		}
		return nil
	})
}

// smtpURL checks smtp://[user[:password]@]host[:port][?tls=none|starttls]
// or smtps://…: a host, no path, a known tls mode, no STARTTLS mode on smtps.
func smtpURL(v string) *Error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
		return problem("cli.want_smtp")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return problem("cli.want_smtp")
		}
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return problem("cli.want_smtp")
		}
	}
	switch q.Get("tls") {
	case "", "starttls":
	case "none":
		if u.Scheme == "smtps" {
			return problem("cli.want_smtp")
		}
	default:
		return problem("cli.want_smtp")
	}
	return nil
}

// mailAddress checks an e-mail address, with or without a display name.
func mailAddress(v string) *Error {
	if v == "" {
		return nil
	}
	if _, err := mail.ParseAddress(v); err != nil {
		return problem("cli.want_mail_address")
	}
	return nil
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
