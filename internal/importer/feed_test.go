package importer_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/internal/importer"
	"newsdesk/internal/model"
)

// TestFeedImportFollowsPagesAndRunsAgainWithoutDuplicates: an RSS feed
// of two pages (RFC 5005 next links) served on 127.0.0.1 and an Atom file
// are imported with their enclosure photos, categories as columns and
// credit lines; a second run creates nothing.
func TestFeedImportFollowsPagesAndRunsAgainWithoutDuplicates(t *testing.T) {
	a := openSite(t, "")
	img, _ := imageServer(t)
	var feed *httptest.Server
	feed = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		page := r.URL.Query().Get("page")
		next := ""
		if page == "" {
			next = fmt.Sprintf(`<atom:link rel="next" href="%s/rss.xml?page=2"/>`, feed.URL)
		}
		n := map[string]int{"": 1, "2": 3}[page]
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>旧网站</title><link>http://old.example.edu.cn/</link>%s
<item><title>第%d篇</title><link>http://old.example.edu.cn/info/1012/%d.htm</link><guid>http://old.example.edu.cn/info/1012/%d.htm</guid>
<pubDate>Thu, 05 Nov 2020 08:30:00 +0800</pubDate><category>综合新闻</category>
<description><![CDATA[<p>正文。</p><p>摄影：刘孟秋</p>]]></description>
<enclosure url="%s/wp-content/uploads/2020/11/kaiban.jpg" type="image/jpeg" length="1"/></item>
<item><title>第%d篇</title><link>http://old.example.edu.cn/info/1012/%d.htm</link><pubDate>Fri, 06 Nov 2020 08:30:00 +0800</pubDate><description>纯文本。</description></item>
<item><title>没有日期</title><link>http://old.example.edu.cn/info/1012/99%d.htm</link></item>
</channel></rss>`, next, n, n, n, img.URL, n+1, n+1, n)
	}))
	defer feed.Close()
	p, source, err := importer.ReadFeed(ctx, feed.URL+"/rss.xml", 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if source != "feed:http://old.example.edu.cn/" || len(p.Items) != 4 || len(p.Skipped) != 2 {
		t.Fatalf("read %s: %d items, skipped %+v", source, len(p.Items), p.Skipped)
	}
	im := importer.ForApp(a, model.SystemActor("cli"), nil)
	sum, err := im.Run(ctx, source, p)
	if err != nil || sum.Created != 4 || sum.Photos != 1 || sum.Columns != 2 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	s := byTitle(t, a, "第3篇")
	if s.LeadMediaID == 0 || len(s.Credits.Photographers) != 1 || s.Credits.Photographers[0] != "刘孟秋" || strings.Contains(s.Body, "摄影") || s.PublishedAt.Hour() != 0 {
		t.Errorf("story from the feed's second page: %+v", s)
	}
	again, err := im.Run(ctx, source, p)
	if err != nil || again.Created != 0 || again.Unchanged != 4 {
		t.Errorf("again: %+v %v", again, err)
	}

	atom := filepath.Join(t.TempDir(), "atom.xml")
	os.WriteFile(atom, []byte(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>院系新闻</title><link href="http://dept.example.edu.cn/"/><id>urn:dept</id><updated>2020-11-05T08:00:00Z</updated>
<entry><title>学院召开大会</title><id>urn:dept:1</id><link href="http://dept.example.edu.cn/a/1.htm"/><updated>2020-11-05T08:00:00Z</updated><author><name>李四</name></author>
<content type="html">&lt;p&gt;大会召开。&lt;/p&gt;</content></entry></feed>`), 0o644)
	p, source, err = importer.ReadFeed(ctx, atom, 10, nil)
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("atom: %v %+v", err, p)
	}
	if sum, err := im.Run(ctx, source, p); err != nil || sum.Created != 1 {
		t.Fatalf("atom import: %+v %v", sum, err)
	}
	if s := byTitle(t, a, "学院召开大会"); len(s.Credits.Writers) != 1 || s.Credits.Writers[0] != "李四" || s.Body != "<p>大会召开。</p>" {
		t.Errorf("atom story: %+v", s)
	}
	if _, _, err := importer.ReadFeed(ctx, filepath.Join(t.TempDir(), "none.xml"), 1, nil); err == nil {
		t.Error("a missing file read")
	}
}
