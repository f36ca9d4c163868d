package importer

import (
	"bufio"
	"bytes"
	"context"

	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/model"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"
)

// Selectors say where a site's pages keep what a story needs; each is a
// CSS selector (several may be given, separated by commas: the first that
// matches wins).
type Selectors struct {
	Link   string // on a list page: the links to stories
	Next   string // on a list page: the link to the next list page
	Title  string
	Date   string
	Body   string
	Source string // 来源, when the page has it apart from the body
}

// Preset is the page structure of a campus site-group product.
type Preset struct {
	Name string
	Selectors
	// Article matches a story's address; its "column" group names the
	// column it belongs to.
	Article *regexp.Regexp
}

// Presets are written from the public structure of such pages: 博达 VSB
// keeps stories at /info/{column}/{id}.htm and pages its lists with
// "下页"; WebPlus at /{year}/{mmdd}/c{column}a{id}/page.htm.
var Presets = map[string]Preset{
	"vsb": {Name: "vsb", Article: regexp.MustCompile(`/info/(?P<column>\d+)/(?P<id>\d+)\.htm$`),
		Selectors: Selectors{Link: "a[href*='info/']", Next: "a.Next, a:contains('下页'), a:contains('下一页')",
			Title: ".titlestyle, .content-title h3, h1", Date: ".timestyle, .content-title .time, .date",
			Body: "#vsb_content, .v_news_content, .content-body", Source: ".sourcestyle"}},
	"webplus": {Name: "webplus", Article: regexp.MustCompile(`/\d{4}/\d{4}/c(?P<column>\d+)a(?P<id>\d+)/page\.htm$`),
		Selectors: Selectors{Link: "a[href*='/page.htm']", Next: "a.next, a:contains('下一页')",
			Title: ".arti_title, h1", Date: ".arti_update, .arti_metas .date", Body: ".wp_articlecontent, .read",
			Source: ".arti_source"}},
}

// Crawler walks an old site politely: one request at a time, Delay
// between them, a User-Agent that names Newsdesk, robots.txt honoured
// unless IgnoreRobots, each request bounded by the client's time-out and
// tried three times with growing pauses.
type Crawler struct {
	Client       *http.Client
	Delay        time.Duration
	IgnoreRobots bool
	// MaxLists bounds the list pages walked.
	MaxLists int
	// Log, when set, is told each address fetched.
	Log func(addr string)

	last     time.Time
	disallow map[string][]string // by host
}

// dateRE finds a date (and time) in a page's date line: 2020-11-05,
// 2020年11月05日 10:30, 2020/11/5.
var dateRE = regexp.MustCompile(`(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?\s*(?:(\d{1,2}):(\d{2}))?`)

// Crawl reads the stories that list pages from start lead to, with the
// preset p (or selectors of its own), in the site's time zone tz. A story
// page that lacks a title, date or body is listed as skipped with its
// address, never half-read.
func (c *Crawler) Crawl(ctx context.Context, start string, p Preset, tz *time.Location) (*Parsed, error) {
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if c.MaxLists == 0 {
		c.MaxLists = 1000
	}
	out := &Parsed{Link: start}
	seenList, seenStory, cats := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for addr, n := start, 0; addr != "" && n < c.MaxLists && !seenList[addr]; n++ {
		seenList[addr] = true
		doc, err := c.page(ctx, addr)
		if err != nil {
			if n == 0 {
				return nil, &FileError{File: addr, Err: err, Why: reasonOf(err)}
			}
			out.Skipped = append(out.Skipped, Skip{Where: addr, What: addr, Why: reasonOf(err)})
			break
		}
		listName := strings.TrimSpace(doc.Find("title").First().Text())
		var links []string
		doc.Find(p.Link).Each(func(_ int, s *goquery.Selection) {
			if h, ok := s.Attr("href"); ok {
				if u := resolve(addr, h); (p.Article == nil || p.Article.MatchString(u)) && !seenStory[u] {
					seenStory[u] = true
					links = append(links, u)
				}
			}
		})
		if n == 0 && len(links) == 0 {
			return nil, &FileError{File: addr, Err: fmt.Errorf("no story links match the %s structure (%s)", p.Name, p.Link),
				Why: because("import.file.no_links", p.Name, p.Link)}
		}
		for _, link := range links {
			it, why, err := c.story(ctx, link, p, tz)
			if err != nil {
				return nil, err
			}
			if why.Key != "" {
				out.Skipped = append(out.Skipped, Skip{Where: link, What: link, Why: why})
				continue
			}
			if it.Column != "" && !cats[it.Column] {
				cats[it.Column] = true
				out.Categories = append(out.Categories, Category{Key: it.Column, Name: firstOf(listName, it.Column)})
			}
			out.Items = append(out.Items, it)
		}
		addr = ""
		if h, ok := doc.Find(p.Next).First().Attr("href"); ok && !strings.HasPrefix(h, "javascript:") {
			addr = resolveFrom(doc, h)
		}
	}
	return out, nil
}

// resolveFrom makes a link of doc absolute.
func resolveFrom(doc *goquery.Document, ref string) string {
	if doc.Url == nil {
		return ref
	}
	return resolve(doc.Url.String(), ref)
}

// story reads one story page; why says why it cannot be imported, err is
// a failure that ends the crawl (ctx cancelled).
func (c *Crawler) story(ctx context.Context, addr string, p Preset, tz *time.Location) (Item, Reason, error) {
	doc, err := c.page(ctx, addr)
	if ctx.Err() != nil {
		return Item{}, Reason{}, ctx.Err()
	}
	if err != nil {
		return Item{}, reasonOf(err), nil
	}
	it := Item{Original: addr, Link: addr, Kind: KindPost, Status: model.StatusPublished, Where: addr, Images: map[string]ImageInfo{}}
	it.Title = strings.Join(strings.Fields(doc.Find(p.Title).First().Text()), " ")
	if it.Title == "" {
		return it, because("import.skip.no_title_at", p.Title), nil
	}
	dateText := doc.Find(p.Date).First().Text()
	m := dateRE.FindStringSubmatch(dateText)
	if m == nil {
		return it, because("import.skip.no_date_at", p.Date), nil
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	it.PublishedAt = time.Date(num(m[1]), time.Month(num(m[2])), num(m[3]), num(m[4]), num(m[5]), 0, 0, tz).UTC()
	body := doc.Find(p.Body).First()
	if body.Length() == 0 {
		return it, because("import.skip.no_body_at", p.Body), nil
	}
	// A wrapper of one block (VSB's v_news_content) is unwrapped, so the
	// closing credit lines are the body's own last paragraphs.
	for body.Children().Length() == 1 && body.Children().Is("div, section, article") {
		body = body.Children().First()
	}
	body.Find("img").Each(func(_ int, s *goquery.Selection) {
		if src, ok := s.Attr("src"); ok {
			s.SetAttr("src", resolve(addr, src))
		}
	})
	html, err := body.Html()
	if err != nil || strings.TrimSpace(body.Text()) == "" && body.Find("img").Length() == 0 {
		return it, because("import.skip.empty_body"), nil
	}
	it.Body = html
	if p.Source != "" {
		if src := strings.TrimSpace(doc.Find(p.Source).First().Text()); src != "" {
			it.Body += "<p>" + xmlText(src) + "</p>" // 来源：… read as the closing credit line
		}
	}
	if p.Article != nil {
		if g := p.Article.FindStringSubmatch(addr); g != nil {
			if i := p.Article.SubexpIndex("column"); i > 0 {
				it.Column = p.Name + "-" + g[i]
			}
		}
	}
	return it, Reason{}, nil
}

// page fetches and parses one HTML page, decoding the charset its header
// or its <meta> declares (GBK pages are common on old Chinese sites).
func (c *Crawler) page(ctx context.Context, addr string) (*goquery.Document, error) {
	if !c.IgnoreRobots && !c.allowed(ctx, addr) {
		return nil, errRobots
	}
	body, ctype, err := c.get(ctx, addr)
	if err != nil {
		return nil, err
	}
	r, err := charset.NewReader(bytes.NewReader(body), ctype)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errEncoding, err)
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNotHTML, err)
	}
	doc.Url, _ = url.Parse(addr)
	return doc, nil
}

// get fetches addr after the delay, trying three times with growing
// pauses when the server fails or is busy.
func (c *Crawler) get(ctx context.Context, addr string) ([]byte, string, error) {
	var last error
	for attempt := range 3 {
		wait := c.Delay
		if attempt > 0 {
			wait += time.Duration(attempt*attempt) * time.Second
		}
		if d := time.Until(c.last.Add(wait)); d > 0 {
			select {
			case <-ctx.Done():
				return nil, "", ctx.Err()
			case <-time.After(d):
			}
		}
		c.last = time.Now()
		if c.Log != nil {
			c.Log(addr)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, addr, nil)
		if err != nil {
			return nil, "", err
		}
		req.Header.Set("User-Agent", UserAgent)
		res, err := c.Client.Do(req)
		if err != nil {
			last = err
			continue
		}
		b, rerr := io.ReadAll(io.LimitReader(res.Body, maxFeed))
		res.Body.Close()
		switch {
		case res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests:
			last = &statusError{res.StatusCode}
			continue
		case res.StatusCode != http.StatusOK:
			return nil, "", &statusError{res.StatusCode}
		case rerr != nil:
			last = rerr
			continue
		}
		return b, res.Header.Get("Content-Type"), nil
	}
	return nil, "", last
}

// allowed says whether robots.txt lets Newsdesk (or any robot) fetch addr.
func (c *Crawler) allowed(ctx context.Context, addr string) bool {
	u, err := url.Parse(addr)
	if err != nil {
		return false
	}
	if c.disallow == nil {
		c.disallow = map[string][]string{}
	}
	rules, ok := c.disallow[u.Host]
	if !ok {
		rules = []string{}
		if b, _, err := c.get(ctx, u.Scheme+"://"+u.Host+"/robots.txt"); err == nil {
			rules = robotRules(b)
		}
		c.disallow[u.Host] = rules
	}
	for _, r := range rules {
		if strings.HasPrefix(u.RequestURI(), r) {
			return false
		}
	}
	return true
}

// robotRules are the Disallow paths of the groups for every robot (*)
// and for Newsdesk.
func robotRules(b []byte) []string {
	var out []string
	applies := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, val = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(val)
		switch key {
		case "user-agent":
			applies = val == "*" || strings.Contains(strings.ToLower(val), "newsdesk")
		case "disallow":
			if applies && val != "" {
				out = append(out, val)
			}
		}
	}
	return out
}
