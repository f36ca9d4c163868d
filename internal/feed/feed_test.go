package feed_test

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"newsdesk/internal/feed"
)

// A column called `<b>&amp;` must read as those characters in a feed
// reader, not as bold text or an ampersand.
func TestFeedTextReadsBackAsTypedInAReader(t *testing.T) {
	const name, desc, summary = "新闻<b>&amp;栏目", "说明 <b>粗体</b> &amp; <script>x</script>", "摘要 <i>&lt;</i>"
	f := feed.Feed{Title: name + " - 重庆大学", Link: "https://news.example/columns/x", Self: "https://news.example/columns/x/rss.xml",
		Description: desc, Language: "zh-CN", Updated: time.Date(2026, 11, 5, 8, 0, 0, 0, time.UTC),
		Items: []feed.Item{{Title: name + "的稿件", Link: "https://news.example/articles/1", GUID: "https://news.example/articles/1",
			Published: time.Date(2026, 11, 5, 8, 0, 0, 0, time.UTC), Summary: summary, Author: "陈<b>&amp;"}}}
	for _, format := range []string{"rss", "atom"} {
		t.Run(format, func(t *testing.T) {
			write := feed.RSS
			if format == "atom" {
				write = feed.Atom
			}
			out, err := write(f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := gofeed.NewParser().ParseString(string(out))
			if err != nil {
				t.Fatal(err)
			}
			// Titles are plain text; descriptions and summaries are HTML,
			// so what a reader shows is their unescaped text.
			if got.Title != f.Title {
				t.Errorf("title %q, want %q", got.Title, f.Title)
			}
			if format == "rss" {
				if shown := html.UnescapeString(got.Description); got.Description == desc || shown != desc || strings.Contains(got.Description, "<") {
					t.Errorf("channel description %q reads as HTML, shows %q, want %q", got.Description, shown, desc)
				}
			}
			it := got.Items[0]
			if it.Title != f.Items[0].Title {
				t.Errorf("item title %q, want %q", it.Title, f.Items[0].Title)
			}
			shown := it.Description
			if format == "rss" {
				shown = html.UnescapeString(it.Description)
			}
			if shown != summary {
				t.Errorf("item summary %q shows %q, want %q", it.Description, shown, summary)
			}
			if it.Authors == nil || it.Authors[0].Name != f.Items[0].Author {
				t.Errorf("item author %+v, want %q", it.Authors, f.Items[0].Author)
			}
		})
	}
}

// The Atom feed says what it is (its subtitle) and each entry's <updated>
// is that story's own last change, not one instant for all.
func TestAtomHasSubtitleAndEachEntrysOwnUpdate(t *testing.T) {
	pub := time.Date(2026, 11, 5, 8, 0, 0, 0, time.UTC)
	f := feed.Feed{Title: "东岳大学新闻网", Link: "https://news.example/", Self: "https://news.example/atom.xml", Description: "东岳大学新闻网的最新文章", Updated: pub.Add(3 * time.Hour),
		Items: []feed.Item{
			{Title: "一", Link: "https://news.example/articles/1", GUID: "https://news.example/articles/1", Published: pub, Updated: pub.Add(3 * time.Hour)},
			{Title: "二", Link: "https://news.example/articles/2", GUID: "https://news.example/articles/2", Published: pub.Add(-time.Hour), Updated: pub.Add(-time.Hour)},
		}}
	out, err := feed.Atom(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := gofeed.NewParser().ParseString(string(out))
	if err != nil {
		t.Fatal(err)
	}
	if got.Description != f.Description {
		t.Errorf("subtitle %q, want %q", got.Description, f.Description)
	}
	for i, it := range got.Items {
		if it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(f.Items[i].Updated) {
			t.Errorf("entry %d updated %v, want %v", i, it.UpdatedParsed, f.Items[i].Updated)
		}
	}
}
