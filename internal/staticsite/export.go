package staticsite

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"

	"newsdesk/internal/feed"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/web/pagecache"
)

// Exporter writes the public site into Dir.
type Exporter struct {
	// Handler is the public site, asked in-process for every page
	// (app.StaticServer: no views counted, the search box configured).
	Handler http.Handler
	// Reader lists what there is to write: articles, columns, pages.
	Reader *reader.Service
	Dir    string
	// Manifest is the manifest's file, outside Dir (default Dir + ".sha256",
	// or ".sm3" with that Hash).
	Manifest string
	// Hash is the manifest's digest (default SHA-256).
	Hash Hash
	// Alerts, when set, are queued with the audit entry of a check that
	// found the folder altered.
	Alerts *Alerts
	// SitemapLimit is the URLs per sitemap file, as Handler splits them
	// (0: the sitemaps.org limit, 50,000).
	SitemapLimit int
	// Workers render and write in parallel (default GOMAXPROCS).
	Workers int
	Log     *slog.Logger

	// stories is every public article's column and publish time as the
	// folder was last written (Export, Update): Update renders again only
	// the lists of the columns a change touches, and of those only the
	// pages showing a story edited in place, which keeps its place in
	// every list (nil: not known in this process).
	stories map[int64]story
	// ranked is stories' ids in the sitemap's order, while known (rank).
	ranked []int64
	// written is the manifest as Export or Update last wrote it, so that
	// the next Update need not read it again (update.go).
	written *manifestCache
}

// Result counts what an export did.
type Result struct {
	Files   int   // files in the folder now, precompressed copies included
	Written int   // files written (the others were already as rendered)
	Removed int   // files of the previous export no longer on the site
	Bytes   int64 // bytes of the files, precompressed copies included
}

// ManifestPath is where the manifest of dir is kept by default: beside
// the folder, not in it, so the web server never serves it and whoever
// alters the files cannot alter it through the web root.
func ManifestPath(dir string) string { return filepath.Clean(dir) + ".sha256" }

func (e *Exporter) manifest() string {
	if e.Manifest != "" {
		return e.Manifest
	}
	return ManifestPathFor(e.Dir, e.Hash)
}

// export is one run of an Exporter.
type export struct {
	*Exporter
	old  Manifest // the previous export's, to skip unchanged files
	mu   sync.Mutex
	sums Manifest // the files written by this run
	// base, for an update, is the folder's manifest that sums is laid over;
	// listed, the stories whose pages it holds, as the exporter knows them
	// (nil: not known).
	base   Manifest
	listed map[int64]story
	// found, for an export, is every public story it writes (the
	// Exporter's stories when it is done); places, for an update, the
	// stories whose places in the lists it counts (showing).
	found, places map[int64]story
	// articlesDone says an export has written the pages of found, which
	// is not changed after: missing knows them without the lock.
	articlesDone atomic.Bool
	refs         sync.Map // asset or picture path → *once
	written      atomic.Int64
	bytes        atomic.Int64
	// touched, when set, gathers every file rendered (Update's).
	touched map[string]bool
	// fresh says the folder was empty: files are written in place, with
	// no temporary name (nobody serves a half-made export), and none is
	// as the manifest left it, even if one was left (the folder deleted).
	fresh bool
	// news writes the pages of stories new to the folder before anything
	// links to them; linkArticles makes article pages wait for them too
	// (Update's second pass; links.go).
	news         newPages
	linkArticles atomic.Bool
}

type once struct {
	sync.Once
	err error
}

// Export writes every public page, feed, sitemap, asset and served picture,
// in an order that never leaves a link to a file not yet written (assets
// and pictures before the pages showing them, articles before the lists,
// the lists before the home page, feeds and sitemaps), then removes the
// previous export's files that are no longer on the site, and writes the
// manifest.
func (e *Exporter) Export(ctx context.Context) (Result, error) {
	old, _, err := e.readManifest()
	if err != nil && !os.IsNotExist(err) {
		return Result{}, err
	}
	x := &export{Exporter: e, old: old, sums: Manifest{}, fresh: emptyDir(e.Dir)}
	if err := x.run(ctx, x.bulkArticles); err != nil {
		return Result{}, err
	}
	x.articlesDone.Store(true)
	for _, phase := range []phase{x.bulkLists, x.front} {
		if err := x.run(ctx, phase); err != nil {
			return Result{}, err
		}
	}
	if err := x.page(ctx, "/"+NotFoundFile, http.StatusNotFound); err != nil {
		return Result{}, err
	}
	var res Result
	for rel := range old {
		if _, ok := x.sums[rel]; !ok {
			if err := os.Remove(filepath.Join(e.Dir, filepath.FromSlash(rel))); err != nil && !os.IsNotExist(err) {
				return Result{}, fmt.Errorf("remove %s: %w", rel, err)
			}
			res.Removed++
		}
	}
	if err := e.writeManifest(x.sums); err != nil {
		return Result{}, err
	}
	e.stories, e.ranked = x.found, nil
	res.Files, res.Written, res.Bytes = len(x.sums), int(x.written.Load()), x.bytes.Load()
	return res, nil
}

// run renders and writes the pages a phase emits, in parallel.
func (x *export) run(ctx context.Context, phase phase) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	urls := make(chan job, 64)
	var wg sync.WaitGroup
	n := x.Workers
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	for range n {
		wg.Go(func() {
			for u := range urls {
				if err := x.render(ctx, u, http.StatusOK); err != nil {
					cancel(err)
				}
			}
		})
	}
	err := phase(ctx, func(u job) error {
		select {
		case urls <- u:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	})
	close(urls)
	wg.Wait()
	if err != nil {
		return err
	}
	if err := context.Cause(ctx); err != nil && ctx.Err() != nil {
		return err
	}
	return nil
}

// front emits what links to everything else: feeds, sitemaps, the site
// map, the feed directory, robots.txt, OpenSearch, the icons and the home
// page.
func (x *export) front(ctx context.Context, emit func(job) error) error {
	return x.frontOf(nil, nil)(ctx, emit)
}

// frontOf is front with the feeds of the columns of only (nil: every
// column) and the sitemap's parts that parts gives (nil: all), told the
// URLs before the articles and the URLs in a part; the others are kept
// as they are (Update's).
func (x *export) frontOf(only map[string]bool, parts func(head, per int) map[int][]model.ArticleStub) phase {
	return func(ctx context.Context, emit func(job) error) error { return x.frontFor(ctx, only, parts, emit) }
}

func (x *export) frontFor(ctx context.Context, only map[string]bool, parts func(head, per int) map[int][]model.ArticleStub, emitJob func(job) error) error {
	emit := func(u string) error { return emitJob(job{url: u}) }
	st, err := x.Reader.Site(ctx)
	if err != nil {
		return err
	}
	var us []string
	for _, f := range []string{"rss", "atom"} {
		us = append(us, reader.FeedURL("", f))
		for _, c := range st.Columns.All() {
			if only == nil || only[c.Slug] {
				us = append(us, reader.FeedURL(c.Slug, f))
			}
		}
	}
	size, err := x.Reader.SitemapSize(ctx)
	if err != nil {
		return err
	}
	per := x.SitemapLimit
	if per <= 0 {
		per = feed.MaxSitemapURLs
	}
	if size > per {
		var some map[int][]model.ArticleStub
		if parts != nil {
			public, err := x.Reader.PublicCount(ctx)
			if err != nil {
				return err
			}
			some = parts(size-public, per)
		}
		for i := 1; (i-1)*per < size; i++ {
			stubs, ok := some[i]
			switch {
			case some == nil:
				us = append(us, reader.SitemapPartURL(i))
			case ok:
				if err := emitJob(job{url: reader.SitemapPartURL(i), pre: &reader.Prefetch{Stubs: stubs}}); err != nil {
					return err
				}
			default:
				x.keep(File(reader.SitemapPartURL(i), 0, false))
			}
		}
	}
	us = append(us, reader.SitemapXMLURL, reader.RobotsURL, reader.OpenSearchURL, reader.FaviconICO, reader.FaviconSVG, reader.SitemapURL, reader.FeedsURL, reader.HomeURL)
	for _, u := range us {
		if err := emit(u); err != nil {
			return err
		}
	}
	return nil
}

// refPattern finds the site's own assets and pictures in a page or a
// style sheet: a path starting /static/ or /media/ right after a quote,
// a space or a comma (srcset); in a style sheet, in url().
var (
	refPattern    = regexp.MustCompile(`["'\s,(](/(?:static|media)/[^"'\s,()<>?#]+)`)
	cssRefPattern = regexp.MustCompile(`url\(\s*["']?(/(?:static|media)/[^"'\s,()<>?#]+)`)
)

// htmlRefs finds what refPattern finds in a page, without the regular
// expression: it took 14 % of an export's time, scanning every byte of
// every page.
func htmlRefs(body []byte) []string {
	var out []string
	for i := 1; i < len(body); {
		k := bytes.IndexByte(body[i:], '/')
		if k < 0 {
			break
		}
		i += k
		rest := body[i:]
		n := 0
		if bytes.HasPrefix(rest, staticPrefix) {
			n = len(staticPrefix)
		} else if bytes.HasPrefix(rest, mediaPrefix) {
			n = len(mediaPrefix)
		}
		if n == 0 || !bytes.ContainsRune(refBefore, rune(body[i-1])) {
			i++
			continue
		}
		end := n
		for end < len(rest) && !bytes.ContainsRune(refEnd, rune(rest[end])) {
			end++
		}
		if end == n {
			i += n
			continue
		}
		out = append(out, string(rest[:end]))
		i += end
	}
	return out
}

var (
	staticPrefix, mediaPrefix = []byte("/static/"), []byte("/media/")
	refBefore                 = []byte("\"' \t\n\f\r,(")
	refEnd                    = []byte("\"' \t\n\f\r,()<>?#")
)

// answer is the public site's answer for one address.
type answer struct {
	code  int
	ctype string
	body  []byte
	// buf holds body: released (pagecache.Release) once the page is
	// written (an answer kept longer, links.go, never gives it back).
	buf *bytes.Buffer
}

// done gives the answer's buffer back: its body is not used after.
func (a answer) done() { pagecache.Release(a.buf) }

// get asks the public site for u, as a reader's browser would without
// compression. A page is rendered straight into the answer
// (pagecache.WithRendered: no page cache, no ETag hash, no copy of the
// body through a recorded response); anything else (an asset, a picture,
// a page that fails) is the recorded HTTP answer.
func (x *export) get(ctx context.Context, j job) answer {
	if j.pre != nil {
		ctx = reader.WithPrefetch(ctx, j.pre)
	}
	out := pagecache.Rendered{Into: pagecache.Buffer()}
	ctx = pagecache.WithRendered(ctx, &out)
	w := httptest.NewRecorder()
	r, err := request(ctx, j.url)
	if err != nil {
		return answer{code: http.StatusBadRequest, ctype: "text/plain", body: []byte(err.Error()), buf: out.Into}
	}
	x.Handler.ServeHTTP(w, r)
	if out.Done {
		return answer{code: http.StatusOK, ctype: out.Page.ContentType, body: out.Page.Body, buf: out.Into}
	}
	return answer{code: w.Code, ctype: w.Header().Get("Content-Type"), body: w.Body.Bytes(), buf: out.Into}
}

// request is the request httptest.NewRequest makes for a GET of u,
// without writing and parsing its text (a reader of 4 KiB a page).
func request(ctx context.Context, u string) (*http.Request, error) {
	pu, err := url.ParseRequestURI(u)
	if err != nil {
		return nil, err
	}
	r := &http.Request{Method: http.MethodGet, URL: pu, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: http.NoBody, Host: "example.com", RemoteAddr: "192.0.2.1:1234", RequestURI: u}
	return r.WithContext(ctx), nil
}

// page renders u and writes it, after writing the assets and pictures
// it shows. want is the status it must answer (404 for the 404 page).
func (x *export) page(ctx context.Context, u string, want int) error {
	return x.render(ctx, job{url: u}, want)
}

// render renders a page, with the rows read ahead for it, and writes it.
func (x *export) render(ctx context.Context, j job, want int) error {
	u := j.url
	w := x.get(ctx, j)
	defer w.done()
	if w.code != want {
		return &statusError{url: u, code: w.code, want: want}
	}
	ctype, body := w.ctype, w.body
	var refs []string
	switch {
	case strings.HasPrefix(ctype, "text/css"):
		for _, m := range cssRefPattern.FindAllSubmatch(body, -1) { // not the selectors naming a path
			refs = append(refs, string(m[1]))
		}
	case strings.HasPrefix(ctype, "text/html"):
		refs = htmlRefs(body)
	}
	for _, ref := range refs {
		if err := x.ensure(ctx, ref); err != nil {
			return fmt.Errorf("%w (shown on %s)", err, u)
		}
	}
	if linksArticles(ctype) {
		if err := x.linked(ctx, u, body); err != nil {
			return err
		}
	}
	pu, err := url.Parse(u)
	if err != nil {
		return fmt.Errorf("export %s: %w", u, err)
	}
	rel := File(pu.Path, 0, strings.HasPrefix(ctype, "text/html"))
	if want == http.StatusNotFound {
		rel = NotFoundFile
	} else if n, err := strconv.Atoi(pu.Query().Get("page")); err == nil {
		rel = File(pu.Path, n, strings.HasPrefix(ctype, "text/html"))
	}
	return x.write(rel, body, ctype)
}

// statusError is a page answering another status than expected.
type statusError struct {
	url        string
	code, want int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("export %s: status %d, want %d", e.url, e.code, e.want)
}

// ensure writes an asset or picture once, however many pages show it.
func (x *export) ensure(ctx context.Context, ref string) error {
	v, _ := x.refs.LoadOrStore(ref, &once{})
	o := v.(*once)
	o.Do(func() { o.err = x.page(ctx, ref, http.StatusOK) })
	return o.err
}

// compressible says whether a content type is text that gzip shrinks
// (pictures are compressed already).
func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "xml") || strings.Contains(ctype, "json") || strings.Contains(ctype, "javascript")
}

// gzipLevel is that of the precompressed copies, made with
// klauspost/compress (the standard library's API, a faster deflate).
// Measured on the 12,252 pages of a 10,000-article export (bench/README.md,
// "Fifth pass"): level 2 makes 36.1 % of the size in 89 µs a page, level 5
// 33.6 % in 119 µs; deflate was 40 % of the export's CPU. Level 2's copy
// of an article page is about 250 bytes larger, and at 3.5 KB it still
// reaches a phone in the first round trip (TCP's initial window of ten
// segments, 14 KB), as level 5's did.
const gzipLevel = 2

var (
	gzips = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzipLevel); return w }}
	// gzipped holds the precompressed copies until they are written.
	gzipped = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

// write writes a file and, for text, its precompressed copy beside it
// (nginx's gzip_static), each unless the previous export left it as is.
func (x *export) write(rel string, body []byte, ctype string) error {
	if err := x.writeOne(rel, body); err != nil {
		return err
	}
	if !compressible(ctype) {
		return nil
	}
	buf := gzipped.Get().(*bytes.Buffer)
	defer gzipped.Put(buf)
	buf.Reset()
	buf.Grow(len(body)/3 + 512) // pages compress to about a third: no regrowing
	zw := gzips.Get().(*gzip.Writer)
	zw.Reset(buf)
	zw.Write(body)
	err := zw.Close()
	gzips.Put(zw)
	if err != nil {
		return err
	}
	return x.writeOne(rel+".gz", buf.Bytes())
}

func (x *export) writeOne(rel string, body []byte) error {
	sum := x.hash().Sum(body)
	x.mu.Lock()
	x.sums[rel] = sum
	if x.touched != nil {
		x.touched[rel] = true
	}
	x.mu.Unlock()
	x.bytes.Add(int64(len(body)))
	if old, ok := x.old[rel]; ok && old == sum && !x.fresh {
		if _, err := os.Stat(filepath.Join(x.Dir, filepath.FromSlash(rel))); err == nil {
			return nil // as exported before (verify finds one altered since)
		}
	}
	x.written.Add(1)
	if x.fresh {
		return x.writeFresh(rel, body)
	}
	return WriteFile(x.Dir, rel, body)
}

// WriteFile writes body to rel under dir atomically: to a temporary file
// in the same folder, then renamed over the old one, so a reader gets the
// old file or the new one, never half of one.
func WriteFile(dir, rel string, body []byte) error {
	full := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	f, err := os.CreateTemp(filepath.Dir(full), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	_, err = f.Write(body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), full)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}
