// Package app wires Newsdesk's parts together from serve's configuration: the store, the
// domain services and the web server. main and the integration tests both
// build the application through it.
package app

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"newsdesk/internal/account"
	"newsdesk/internal/article"
	"newsdesk/internal/campus"
	"newsdesk/internal/check"
	"newsdesk/internal/column"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/i18n"
	"newsdesk/internal/job"
	"newsdesk/internal/media"
	"newsdesk/internal/search"
	"newsdesk/internal/site"
	"newsdesk/internal/slot"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
	"newsdesk/internal/web"
)

// App is a wired Newsdesk.
type App struct {
	Store    store.Store
	Articles *article.Service
	Slots    *slot.Service
	Columns  *column.Service
	Site     *site.Service
	Media    *media.Service
	Views    *article.Views
	Search   *search.Service
	Accounts *account.Service
	Campus   *campus.Service
	Checks   *check.Service
	Jobs     *job.Runner
	Web      *web.Server
	Log      *slog.Logger

	db        *sqlstore.DB
	instance  string // names this process in change notifications
	listening chan struct{}
	listenOne sync.Once
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
		if a.Web != nil {
			a.Web.Invalidate()
		}
		nctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := db.Notify(nctx, a.instance); err != nil {
			log.Error("tell other instances of a change", "err", err)
		}
	}
	a.Search = &search.Service{Store: db, Log: log}
	a.Articles = &article.Service{Store: db, Changed: changed}
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
	a.Columns = &column.Service{Store: db, Changed: changed}
	a.Slots = &slot.Service{Store: db, Changed: changed}
	a.Site = &site.Service{Store: db, Changed: changed, BaseURL: cfg.BaseURL}
	a.Media = &media.Service{Store: db, Files: files, MaxSize: cfg.MaxUpload, DecodeBudget: int64(cfg.DecodeMB) << 20, Changed: changed, CanView: article.CanView}
	a.Jobs = job.New(db, log, map[string]job.Handler{store.JobVariants: a.Media.MakeVariants, check.JobAudit: a.Checks.AuditJob})
	a.Checks.Queue = a.Jobs.Wake
	a.Media.Queued = a.Jobs.Wake
	a.Views = &article.Views{Store: db, Log: log}
	a.Accounts = account.New(db)
	a.Campus = newCampus(db, a.Accounts, cfg.Campus)
	a.Accounts.PasswordAllowed = a.Campus.PasswordAllowed
	if err := a.Search.Ensure(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a.Web, err = web.New(web.Deps{Store: db, Site: a.Site, Articles: a.Articles, Search: a.Search, Accounts: a.Accounts, Campus: a.Campus, DeskURL: cfg.Campus.DeskURL, Slots: a.Slots, Columns: a.Columns, Media: a.Media, Checks: a.Checks, Views: a.Views, Files: files, MediaBase: strings.TrimSuffix(cfg.MediaPublicURL, "/"),
		Catalog: cat, Log: log, CacheBytes: int64(cfg.CacheMB) << 20, TrustProxy: cfg.TrustProxy,
		APICORSOrigins: cfg.CORSOrigins()})
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
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
	start := time.Now()
	err := demo.Load(ctx, demo.Deps{Store: a.Store, Articles: a.Articles, Slots: a.Slots, Columns: a.Columns, Site: a.Site, Media: a.Media, Accounts: a.Accounts, Checks: a.Checks}, o)
	if err == nil {
		a.Log.Info("demo content ready", "took", time.Since(start).Round(time.Millisecond))
	}
	return err
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
	for {
		if n, err := a.Articles.PublishDue(ctx); err != nil && ctx.Err() == nil {
			a.Log.Error("scheduled publishing", "err", err)
		} else if n > 0 {
			a.Log.Info("scheduled articles published", "count", n)
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
			a.Web.Invalidate()
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
