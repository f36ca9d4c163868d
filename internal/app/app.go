// Package app wires Newsdesk's parts together from serve's configuration: the store, the
// domain services and the web server. main and the integration tests both
// build the application through it.
package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	netmail "net/mail"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/account"
	"newsdesk/internal/annotation"
	"newsdesk/internal/approval"
	"newsdesk/internal/article"
	"newsdesk/internal/campus"
	"newsdesk/internal/check"
	"newsdesk/internal/column"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/i18n"
	"newsdesk/internal/job"
	"newsdesk/internal/mail"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/notify"
	"newsdesk/internal/redirect"
	"newsdesk/internal/review"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/slot"
	"newsdesk/internal/staticsite"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
	"newsdesk/internal/web"
)

// App is a wired Newsdesk.
type App struct {
	Store    store.Store
	Articles *article.Service
	Reviews  *review.Service
	Slots    *slot.Service
	Columns  *column.Service
	Site     *site.Service
	Media    *media.Service
	Views    *article.Views
	Search   *search.Service
	Accounts *account.Service
	Campus   *campus.Service
	// Redirects are the old addresses of imported sites.
	Redirects *redirect.Service
	Checks    *check.Service
	Jobs      *job.Runner
	Mail      *mail.Outbox
	Notify    *notify.Service
	Approval  *approval.Service
	Web       *web.Server
	Log       *slog.Logger

	db        *sqlstore.DB
	changed   func()
	webDeps   web.Deps // what Web was built from, for StaticServer
	staticMu  sync.Mutex
	static    []*web.Server // StaticServer's, purged with Web
	onChange  []func()      // told after the caches are purged
	instance  string        // names this process in change notifications
	listening chan struct{}
	listenOne sync.Once

	// Annotations are the reviewers' comments on passages (批注).
	Annotations *annotation.Service
}

// Listening is closed once this instance listens for other instances'
// changes (at once on SQLite, which has no others).
func (a *App) Listening() <-chan struct{} { return a.listening }

// Open opens the store under cfg.Data (migrating it) and builds the services.
func Open(ctx context.Context, cfg config.Serve, log *slog.Logger) (*App, error) {
	db, err := OpenStore(ctx, cfg.Store)
	if err != nil {
		return nil, err
	}
	files, err := openFiles(ctx, cfg.Data, cfg.Files)
	if err != nil {
		db.Close()
		return nil, err
	}
	cat, err := i18n.Load()
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &App{Store: db, Log: log, db: db, instance: rand.Text(), listening: make(chan struct{})}
	// Content changes purge the page cache, here and (through the
	// database) in every other instance; the server is built after the
	// services, so the hook looks it up when called.
	changed := func() {
		a.invalidate()
		a.Mail.Wake() // a change may have queued mail (notifications)
		nctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := db.Notify(nctx, a.instance); err != nil {
			log.Error("tell other instances of a change", "err", err)
		}
	}
	a.changed = changed
	a.Search = &search.Service{Store: db, Log: log}
	a.Articles = &article.Service{Store: db, Changed: changed}
	a.Annotations = &annotation.Service{Store: db, Text: a.Articles.Editable}
	a.Reviews = &review.Service{Store: db}
	// A rule-list change tells the other instances through the same
	// notifications; each drops its compiled rules (ListenForChanges).
	a.Checks = &check.Service{Store: db, Changed: changed, SiteURL: func(ctx context.Context) string {
		st, err := a.Site.Settings(ctx)
		if err != nil {
			return ""
		}
		return st.BaseURL
	}}
	a.Articles.Checks = a.Checks
	a.Reviews.Findings = func(ctx context.Context, ar model.Article) ([]review.RecordFinding, error) {
		fs, err := a.Checks.Run(ctx, ar)
		out := make([]review.RecordFinding, 0, len(fs))
		for _, f := range fs {
			out = append(out, review.RecordFinding{Level: f.Level, Category: f.Category, SiteCategory: f.Kind == check.KindWords,
				Text: f.Text, Suggestion: f.Suggestion, Key: f.Key()})
		}
		return out, err
	}
	a.Columns = &column.Service{Store: db, Changed: changed}
	a.Slots = &slot.Service{Store: db, Changed: changed}
	a.Redirects = &redirect.Service{Store: db, Changed: changed}
	a.Site = &site.Service{Store: db, Changed: changed, BaseURL: cfg.BaseURL}
	a.Media = &media.Service{Store: db, Files: files, MaxSize: cfg.MaxUpload, DecodeBudget: int64(cfg.DecodeMB) << 20, Changed: changed, CanView: article.CanView}
	a.Mail = &mail.Outbox{Store: db, Catalog: cat, Lang: i18n.ZH}
	if cfg.SMTP.URL != "" {
		from, err := netmail.ParseAddress(cfg.SMTP.From) // checked by config
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("--mail-from: %w", err)
		}
		a.Mail.Sender = &mail.Server{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username, Password: cfg.SMTP.Password,
			Implicit: cfg.SMTP.Implicit, NoTLS: cfg.SMTP.NoTLS, From: *from}
	}
	a.Jobs = job.New(db, log, map[string]job.Handler{model.JobVariants: a.Media.MakeVariants, model.JobMail: a.Mail.Deliver, check.JobAudit: a.Checks.AuditJob,
		staticsite.JobAlert: (&staticsite.Webhook{URL: cfg.StaticAlert.Webhook, Store: db, Log: log}).Deliver})
	a.Checks.Queue = a.Jobs.Wake
	a.Media.Queued = a.Jobs.Wake
	a.Mail.Queued, a.Mail.MaxAttempts = a.Jobs.Wake, a.Jobs.MaxAttempts
	deskURL := cfg.Campus.DeskURL
	if deskURL == "" {
		deskURL = cfg.BaseURL
	}
	a.Notify = &notify.Service{Store: db, Mail: a.Mail, Catalog: cat, DeskURL: deskURL}
	a.Articles.Transitioned = a.Notify.Transitioned
	a.Approval = &approval.Service{Store: db, Mail: a.Mail, BaseURL: cfg.BaseURL, Changed: changed,
		Decided: func(ctx context.Context, tx store.Store, art model.Article, l model.ApproverLink) (model.Article, model.Event, error) {
			art, ev, err := approval.Move(ctx, tx, art, l)
			if err != nil {
				return art, ev, err
			}
			return art, ev, a.Notify.Transitioned(ctx, tx, art, ev)
		}}

	a.Views = &article.Views{Store: db, Log: log}
	a.Accounts = account.New(db)
	a.Campus = newCampus(db, a.Accounts, cfg.Campus)
	a.Accounts.PasswordAllowed = a.Campus.PasswordAllowed
	if !cfg.SearchLater {
		if err := a.Search.Ensure(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	a.webDeps = web.Deps{Store: db, Site: a.Site, Articles: a.Articles, Annotations: a.Annotations, Reviews: a.Reviews, Search: a.Search, Accounts: a.Accounts, Campus: a.Campus, DeskURL: cfg.Campus.DeskURL, Slots: a.Slots, Columns: a.Columns, Media: a.Media, Checks: a.Checks, Views: a.Views, Notify: a.Notify, Approval: a.Approval, Redirects: a.Redirects, Files: files, MediaBase: strings.TrimSuffix(cfg.MediaPublicURL, "/"),
		Catalog: cat, Log: log, CacheBytes: int64(cfg.CacheMB) << 20, TrustProxy: cfg.TrustProxy,
		APICORSOrigins: cfg.CORSOrigins()}
	a.Web, err = web.New(a.webDeps)
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// Changed purges the page cache, here and in every other instance: what
// the services call after each change, for work that changes much at once
// (an import) and tells the site once at the end.
func (a *App) Changed() { a.changed() }

// StaticServer builds a second web server over the same services, to
// write the public site out as files: it renders only the public site
// (its desk's templates are not parsed), counts no views (rendering a
// file is no reader), caches little (each page is rendered once), its
// search box sends readers to searchURL (default /search), and its
// sitemap files list sitemapLimit URLs each (0: 50,000; the exporter's
// SitemapLimit).
func (a *App) StaticServer(searchURL string, sitemapLimit int) (*web.Server, error) {
	d := a.webDeps
	d.Views, d.SearchURL, d.CacheBytes, d.SitemapLimit, d.PublicOnly = nil, searchURL, 1<<20, sitemapLimit, true
	s, err := web.New(d)
	if err != nil {
		return nil, err
	}
	a.staticMu.Lock()
	a.static = append(a.static, s)
	a.staticMu.Unlock()
	return s, nil
}

// invalidate purges the page caches after a change to published content.
func (a *App) invalidate() {
	if a.Web != nil {
		a.Web.Invalidate()
	}
	a.staticMu.Lock()
	defer a.staticMu.Unlock()
	for _, s := range a.static {
		s.Invalidate()
	}
	for _, f := range a.onChange {
		f()
	}
}

// OnChange adds f to what is told of every change to published content,
// here or in another instance, once the page caches are purged (the
// static publisher). f must not block.
func (a *App) OnChange(f func()) {
	a.staticMu.Lock()
	defer a.staticMu.Unlock()
	a.onChange = append(a.onChange, f)
}

// newCampus builds campus sign-in from the configuration: CAS, OpenID
// Connect, either, both or neither (the mapping and links are kept anyway).
func newCampus(st store.Store, acc *account.Service, cfg config.Campus) *campus.Service {
	c := &campus.Service{Store: st, Accounts: acc, DepartmentClaim: cfg.DepartmentClaim}
	if cfg.CASURL != "" {
		c.CAS = &campus.CAS{URL: cfg.CASURL}
	}
	if cfg.OIDCIssuer != "" {
		c.OIDC = &campus.OIDC{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret}
	}
	return c
}

// OpenStore opens PostgreSQL when cfg.DB names it, else SQLite under
// cfg.Data, and brings its schema up to date.
func OpenStore(ctx context.Context, cfg config.Store) (*sqlstore.DB, error) {
	if cfg.DB != "" {
		return sqlstore.OpenPostgres(ctx, cfg.DB)
	}
	return sqlstore.OpenSQLite(ctx, filepath.Join(cfg.Data, "newsdesk.db"))
}

// openFiles opens the S3-compatible bucket when cfg.Media names one, else
// the media folder under data.
func openFiles(ctx context.Context, data string, cfg config.Files) (media.Storage, error) {
	if cfg.Media != "" {
		return media.OpenS3(ctx, cfg.Media, media.S3Server(cfg.S3))
	}
	return &media.Local{Dir: filepath.Join(data, "media")}, nil
}

// LoadDemo fills an empty site with the demo content.
func (a *App) LoadDemo(ctx context.Context, o demo.Options) error {
	cols, err := a.Store.Columns(ctx)
	if err != nil {
		return err
	}
	if len(cols) > 0 {
		// demo.Load never mixes with content already there.
		a.Log.Info("demo content already present, nothing loaded")
		return a.logDemoUsers(ctx)
	}
	start := time.Now()
	err = demo.Load(ctx, demo.Deps{Store: a.Store, Articles: a.Articles, Slots: a.Slots, Columns: a.Columns, Site: a.Site, Media: a.Media, Accounts: a.Accounts, Reviews: a.Reviews, Checks: a.Checks}, o)
	if err == nil {
		a.Log.Info("demo content ready", "took", time.Since(start).Round(time.Millisecond))
		return a.logDemoUsers(ctx)
	}
	return err
}

// logDemoUsers says, while the demo accounts exist, how to sign in with
// them (and that they must go before real use).
func (a *App) logDemoUsers(ctx context.Context) error {
	kv, err := a.Store.Settings(ctx)
	if err != nil {
		return err
	}
	if kv[site.DemoUsersSetting] != "" {
		a.Log.Warn("demo accounts exist: sign in at /desk/login; remove them before real use",
			"users", strings.Join(demo.Usernames, ", "), "password", demo.DemoPassword)
	}
	return nil
}

// RunJobs runs the background work until ctx ends: writing counted views,
// the jobs table (image variants) and publishing scheduled articles.
// Schedules and jobs live in the store, so a restart loses none; one due
// while the server was down runs at the first round after start.
// It returns when the job under way has finished.
func (a *App) RunJobs(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { a.Views.Run(ctx, 2*time.Second) })
	wg.Go(func() { a.Jobs.Run(ctx) })
	wg.Go(func() { a.ListenForChanges(ctx) })
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for round := 0; ; round++ {
		if n, err := a.Articles.PublishDue(ctx); err != nil && ctx.Err() == nil {
			a.Log.Error("scheduled publishing", "err", err)
		} else if n > 0 {
			a.Log.Info("scheduled articles published", "count", n)
		}
		// Due times are in hours: checking them each minute is enough.
		if round%12 == 0 {
			if n, err := a.Notify.Overdue(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error("overdue review steps", "err", err)
			} else if n > 0 {
				a.Log.Info("overdue review steps reported", "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ServeOptions say where the site is served and with which limits.
type ServeOptions struct {
	// Addr is the public site's address.
	Addr string
	// DeskAddr, when set, serves the desk, the desk API and /metrics on a
	// listener of their own; Addr then answers 404 for them.
	DeskAddr string
	// DeskAllow limits who may connect to DeskAddr (any address if empty).
	DeskAllow []netip.Prefix
	// MetricsToken is the bearer token for /metrics (required on Addr when
	// there is no DeskAddr; without it /metrics is only on DeskAddr).
	MetricsToken string
	// AccessLog logs a line per request.
	AccessLog bool
	Limits    web.Limits
}

// Serve serves the site (and the desk, apart when o.DeskAddr says so)
// until ctx ends. It fails before serving when an address is taken.
func (a *App) Serve(ctx context.Context, o ServeOptions) error {
	a.Web.MetricsToken = o.MetricsToken
	a.Web.Limits = o.Limits
	wrap := func(h http.Handler) http.Handler {
		if o.AccessLog {
			return web.AccessLog(h, a.Log)
		}
		return h
	}
	ls := []web.Listener{{Addr: o.Addr, Handler: wrap(a.Web), Name: "site"}}
	if o.DeskAddr != "" {
		ls = []web.Listener{{Addr: o.Addr, Handler: wrap(a.Web.PublicHandler()), Name: "site"},
			{Addr: o.DeskAddr, Handler: wrap(a.Web.DeskHandler(o.DeskAllow)), Name: "desk"}}
	}
	return web.Run(ctx, a.Log, o.Limits, ls...)
}

// ListenForChanges purges the page cache whenever another instance on the
// same database changes published content, until ctx ends (PostgreSQL;
// with SQLite there is no other instance and it returns at once).
func (a *App) ListenForChanges(ctx context.Context) {
	heard := func() { a.listenOne.Do(func() { close(a.listening) }) }
	defer heard()
	a.db.Listen(ctx, func(from string) {
		if from != a.instance {
			a.invalidate()
			a.Checks.Invalidate()
		}
		if from == "" {
			heard()
		}
	}, func(err error) { a.Log.Warn("change notifications", "err", err) })
}

// Close flushes pending view counts and closes the store.
func (a *App) Close() error {
	if err := a.Views.Flush(context.Background()); err != nil {
		a.Log.Error("flush views", "err", err)
	}
	return a.Store.Close()
}
