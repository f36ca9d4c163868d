package render

import (
	"strings"
	"testing"

	"newsdesk/internal/i18n"
	"newsdesk/internal/reader"
)

// archiveYears is a column's archive of n years back from 2026, twelve
// months each.
func archiveYears(slug string, n int) []reader.ArchiveYear {
	var years []reader.ArchiveYear
	for y := 2026; y > 2026-n; y-- {
		ay := reader.ArchiveYear{Year: y, Count: 1200, URL: reader.ColumnURL(slug, y, 0, 0)}
		for m := 12; m >= 1; m-- {
			ay.Months = append(ay.Months, reader.ArchiveMonth{Month: m, Count: 100 + m, URL: reader.ColumnURL(slug, y, m, 0)})
		}
		years = append(years, ay)
	}
	return years
}

// The aside has a <details> a year, only the newest open, a link to the
// year and to each month with its count, in the reader's language, and
// the feed link; whatever it shows is escaped.
func TestArchiveAsideListsEveryYearAndMonth(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	years := archiveYears("news", 2)
	got := string(archiveAside(&View{Lang: i18n.ZH, cat: cat}, years, `/feeds/news.xml?a=1&b="2"`))
	for _, want := range []string{
		`<h2 id="arch-h">按月归档</h2>`,
		"<details open>\n    <summary>2026年 <small>(1200)</small></summary>",
		"<details>\n    <summary>2025年 <small>(1200)</small></summary>",
		`<li class="year-link"><a href="/columns/news/2025">2025年全部</a></li>`,
		`<li><a href="/columns/news/2026/12">2026年12月</a> <small>(112)</small></li>`,
		`<li><a href="/columns/news/2025/01">2025年1月</a> <small>(101)</small></li>`,
		`<p class="feed-link"><a href="/feeds/news.xml?a=1&amp;b=&#34;2&#34;">RSS</a></p>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("aside lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "<details"); n != 2 || strings.Count(got, " open>") != 1 || strings.Count(got, "<li><a ") != 24 {
		t.Errorf("%d years, %d open, %d month links: want 2, 1, 24", n, strings.Count(got, " open>"), strings.Count(got, "<li><a "))
	}
	en := string(archiveAside(&View{Lang: i18n.EN, cat: cat}, years, ""))
	if !strings.Contains(en, `<a href="/columns/news/2026/12">12/2026</a>`) || strings.Contains(en, "feed-link") {
		t.Errorf("English aside without a feed:\n%s", en)
	}
	years[0].Months[0].URL = `/columns/x"><script>alert(1)</script>`
	if h := string(archiveAside(&View{Lang: i18n.ZH, cat: cat}, years, "")); strings.Contains(h, "<script>") {
		t.Errorf("a link was not escaped:\n%s", h)
	}
}

// BenchmarkArchiveAside writes the aside of a column twenty years old
// (260 links), as a column's first list page does once per site snapshot.
func BenchmarkArchiveAside(b *testing.B) {
	cat, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	years := archiveYears("news", 20)
	v := &View{Lang: i18n.ZH, cat: cat}
	b.ReportAllocs()
	for b.Loop() {
		archiveAside(v, years, "/feeds/news.xml")
	}
}
