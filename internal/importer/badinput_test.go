package importer_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"newsdesk/internal/importer"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// undatedWXR has a story, one without any date and one without a title.
const undatedWXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>旧网站</title><wp:base_blog_url>http://old.example.edu.cn</wp:base_blog_url>
<item><title>有日期的稿件</title><guid>http://old.example.edu.cn/?p=1</guid><content:encoded><![CDATA[<p>正文。</p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2020-11-05 08:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>没有日期的稿件</title><guid>http://old.example.edu.cn/?p=2</guid><content:encoded><![CDATA[<p>正文。</p>]]></content:encoded>
<wp:post_id>2</wp:post_id><wp:post_date>0000-00-00 00:00:00</wp:post_date><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>  </title><guid>http://old.example.edu.cn/?p=3</guid><content:encoded><![CDATA[<p>正文。</p>]]></content:encoded>
<wp:post_id>3</wp:post_id><wp:post_date_gmt>2020-11-06 08:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
`

// TestWXRStoryWithoutDateOrTitleIsSkippedSayingWhere: a story with no
// date at all and one with a blank title are listed as skipped with their
// line and why; the other story is imported.
func TestWXRStoryWithoutDateOrTitleIsSkippedSayingWhere(t *testing.T) {
	a := openSite(t, "")
	p := parse(t, a, undatedWXR)
	var whys []string
	for _, s := range p.Skipped {
		whys = append(whys, s.Where+" "+s.What+": "+why(t, s))
	}
	for _, want := range []string{"export.xml:6 没有日期的稿件: no date", "export.xml:8 http://old.example.edu.cn/?p=3: no title"} {
		if !slices.ContainsFunc(whys, func(w string) bool { return strings.HasPrefix(w, want) }) {
			t.Errorf("skipped %q not listed in %q", want, whys)
		}
	}
	sum, err := importer.ForApp(a, model.SystemActor("cli"), nil).Run(ctx, "wxr:http://old.example.edu.cn", p)
	if err != nil || sum.Created != 1 || len(sum.Skipped) < 2 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	if _, n, _ := a.Store.Articles(ctx, store.ArticleQuery{Limit: 10}); n != 1 {
		t.Errorf("%d stories imported, want 1", n)
	}
}

const smallRSS = `<?xml version="1.0" encoding="%s"?>
<rss version="2.0"><channel><title>旧网站</title><link>http://old.example.edu.cn/</link>
<item><title>第一篇新闻</title><link>http://old.example.edu.cn/info/1012/1.htm</link><pubDate>Thu, 05 Nov 2020 08:30:00 +0800</pubDate>
<description><![CDATA[<p>学校召开研究生党支部书记培训开班仪式。</p>]]></description></item>
<item><title>第二篇新闻</title><link>http://old.example.edu.cn/info/1012/2.htm</link><pubDate>Fri, 06 Nov 2020 08:30:00 +0800</pubDate>
<description><![CDATA[<p>图书馆开放时间调整。</p>]]></description></item>
</channel></rss>
`

// TestBrokenFeedSaysWhereAndImportsNothing: a feed file cut short, and
// one served cut short from 127.0.0.1, are errors naming the file or the
// address; nothing is read from them, so nothing is imported.
func TestBrokenFeedSaysWhereAndImportsNothing(t *testing.T) {
	full := strings.Replace(smallRSS, "%s", "UTF-8", 1)
	cut := full[:len(full)*2/3]
	file := filepath.Join(t.TempDir(), "rss.xml")
	if err := os.WriteFile(file, []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write([]byte(cut))
	}))
	defer srv.Close()
	for _, src := range []string{file, srv.URL + "/rss.xml"} {
		p, _, err := importer.ReadFeed(ctx, src, 5, nil)
		var fe *importer.FileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), src) || p != nil {
			t.Errorf("%s: %v (%T), parsed %v; want a FileError naming it", src, err, err, p)
		}
	}
}

// TestGBKFeedReadsAsUTF8: an RSS file declared and encoded as GBK (old
// Chinese sites) reads as the same stories as its UTF-8 form.
func TestGBKFeedReadsAsUTF8(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(strings.Replace(smallRSS, "%s", "GBK", 1))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "rss.xml")
	if err := os.WriteFile(file, []byte(gbk), 0o644); err != nil {
		t.Fatal(err)
	}
	p, _, err := importer.ReadFeed(ctx, file, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Items[0].Title != "第一篇新闻" || !strings.Contains(p.Items[1].Body, "图书馆开放时间调整") {
		t.Errorf("GBK feed read as %+v", p.Items)
	}
}
