// Command hugogen writes the published articles of a Newsdesk data folder
// (made by bench/sitegen) as a Hugo site: one Markdown file with front
// matter per article, in a section per column (sub-columns nested in
// their parent's), with the same titles, summaries, bodies and dates,
// and a minimal theme with list pagination (20 a page, as Newsdesk),
// RSS, the sitemap and 8 related articles per page (same top-level
// column, as Newsdesk's). bench/hugo.sh builds it next to a static export.
//
//	go run ./bench/hugogen -data /tmp/site10k -out /tmp/hugo10k
package main

import (
	"context"
	"flag"
	"fmt"
	"html"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore"
)

func main() {
	data := flag.String("data", "", "Newsdesk data folder to read")
	out := flag.String("out", "", "Hugo site folder to create")
	flag.Parse()
	if *data == "" || *out == "" {
		log.Fatal("hugogen: -data and -out are required")
	}
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, filepath.Join(*data, "newsdesk.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	cols, err := db.Columns(ctx)
	if err != nil {
		log.Fatal(err)
	}
	tree := column.NewTree(cols)
	dirOf := map[int64]string{}
	for _, c := range cols {
		var parts []string
		for _, p := range tree.Path(c.ID) {
			parts = append(parts, p.Slug)
		}
		dirOf[c.ID] = filepath.Join(parts...)
		d := filepath.Join(*out, "content", dirOf[c.ID])
		must(os.MkdirAll(d, 0o755))
		must(os.WriteFile(filepath.Join(d, "_index.md"), []byte(fmt.Sprintf("---\ntitle: %q\n---\n", c.Name)), 0o644))
	}
	for name, body := range theme {
		p := filepath.Join(*out, name)
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		must(os.WriteFile(p, []byte(strings.TrimLeft(body, "\n")), 0o644))
	}
	para := regexp.MustCompile(`(?s)<p>(.*?)</p>`)
	n := 0
	for after := int64(0); ; {
		as, _, err := db.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, ByID: true, AfterID: after, Limit: 500, NoTotal: true})
		if err != nil {
			log.Fatal(err)
		}
		if len(as) == 0 {
			break
		}
		for _, a := range as {
			var b strings.Builder
			top := ""
			if p := tree.Path(a.ColumnID); len(p) > 0 {
				top = p[0].Slug
			}
			fmt.Fprintf(&b, "---\ntitle: %q\ndate: %s\nsummary: %q\ncategories: [%q]\n---\n", a.Title, a.PublishedAt.Format(time.RFC3339), a.Summary, top)
			for _, m := range para.FindAllStringSubmatch(a.Body, -1) {
				b.WriteString(html.UnescapeString(m[1]))
				b.WriteString("\n\n")
			}
			must(os.WriteFile(filepath.Join(*out, "content", dirOf[a.ColumnID], strconv.FormatInt(a.ID, 10)+".md"), []byte(b.String()), 0o644))
			n++
		}
		after = as[len(as)-1].ID
	}
	fmt.Printf("wrote %d articles in %d sections to %s\n", n, len(cols), *out)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// theme is the Hugo site's configuration and minimal layouts.
var theme = map[string]string{
	"config.toml": `
baseURL = "http://127.0.0.1/"
languageCode = "zh-cn"
title = "Newsdesk bench"
disableKinds = ["taxonomy", "term"]
[pagination]
  pagerSize = 20
paginate = 20
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML", "RSS"]
[related]
  includeNewer = false
  threshold = 0
  toLower = false
  [[related.indices]]
    name = "categories"
    weight = 100
  [[related.indices]]
    name = "date"
    weight = 10
`,
	"layouts/_default/baseof.html": `
<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}</head>
<body><header><a href="/">{{ .Site.Title }}</a><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>
`,
	"layouts/_default/single.html": `
{{ define "main" }}<article><h1>{{ .Title }}</h1><p><time>{{ .Date.Format "2006-01-02" }}</time></p><p>{{ .Summary }}</p>{{ .Content }}</article>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ $related := .Site.RegularPages.Related . | first 8 }}{{ with $related }}<section><h2>相关文章</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul></section>{{ end }}{{ end }}
`,
	"layouts/_default/list.html": `
{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .RegularPagesRecursive }}<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Summary }}</p><time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>
<nav>{{ with $p.Prev }}<a href="{{ .URL }}">上一页</a>{{ end }} {{ $p.PageNumber }}/{{ $p.TotalPages }} {{ with $p.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}</nav>{{ end }}
`,
	"layouts/index.html": `
{{ define "main" }}{{ range .Site.Sections }}<section><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><ul>{{ range first 6 .RegularPagesRecursive }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></section>{{ end }}{{ end }}
`,
}
