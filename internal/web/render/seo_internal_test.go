package render

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"image/png"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/i18n"
	"newsdesk/internal/media"
	"newsdesk/internal/model"
	"newsdesk/internal/reader"
	"newsdesk/internal/site"
)

// A 1200 px photo gets 480 and 960 px variants in both formats (none wider
// than the original): the WebP list must still reach 1200w, or WebP
// browsers show the 960 px one upscaled on a wide screen.
func TestWebPSrcsetReachesTheOriginalWidth(t *testing.T) {
	rd := &Renderer{links: media.Links{}}
	m := model.Media{ID: 7, Name: "a.jpg", ContentType: "image/jpeg", Width: 1200, Height: 800, Key: "k", Checksum: strings.Repeat("a", 64)}
	var vs []model.Variant
	for _, w := range []int{480, 960} {
		for _, ct := range []string{"image/jpeg", "image/webp"} {
			vs = append(vs, model.Variant{MediaID: 7, Width: w, Height: w * 2 / 3, ContentType: ct, Key: ct + string(rune('0'+w/480))})
		}
	}
	p := rd.Picture(m, vs)
	for _, list := range []string{p.WebP, p.Srcset} {
		if !strings.HasSuffix(list, " 1200w") || !strings.Contains(list, " 480w") || !strings.Contains(list, " 960w") {
			t.Errorf("srcset %q does not run 480w, 960w … 1200w", list)
		}
	}
	// A photo whose WebP variants reach its width gets WebP only.
	vs = append(vs, model.Variant{MediaID: 7, Width: 1200, Height: 800, ContentType: "image/webp", Key: "w3"})
	if p := rd.Picture(m, vs); strings.Count(p.WebP, "w,")+1 != 3 {
		t.Errorf("WebP srcset with a full-width WebP variant: %q", p.WebP)
	}
}

// schema.org's properties of NewsArticle (from Article, CreativeWork and
// Thing) and of the objects it holds that the page uses: a property
// outside these lists is one search engines ignore.
var schemaProps = map[string][]string{
	"NewsArticle":           {"@context", "@type", "headline", "datePublished", "dateModified", "author", "publisher", "image", "description", "mainEntityOfPage", "inLanguage", "articleSection", "isBasedOn"},
	"ImageObject":           {"@type", "url", "contentUrl", "width", "height", "caption", "creditText"},
	"Person":                {"@type", "name"},
	"Organization":          {"@type", "name", "url", "logo"},
	"NewsMediaOrganization": {"@type", "name", "url", "logo"},
	"CreativeWork":          {"@type", "publisher"},
}

// checkSchema fails on a property the object's type does not have, for
// every object inside v.
func checkSchema(t *testing.T, v any, path string) {
	t.Helper()
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			checkSchema(t, e, path+"[]")
		}
	case map[string]any:
		typ, _ := x["@type"].(string)
		props, ok := schemaProps[typ]
		if !ok {
			t.Errorf("%s: @type %q is not one used here", path, typ)
			return
		}
		for k, e := range x {
			if !strings.Contains(" "+strings.Join(props, " ")+" ", " "+k+" ") {
				t.Errorf("%s: %s has no property %q in schema.org", path, typ, k)
			}
			checkSchema(t, e, path+"."+k)
		}
	}
}

func TestNewsArticleHasTheExpectedProperties(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	v := &View{Lang: i18n.ZH, cat: cat, Site: site.Settings{Name: "东岳大学新闻网", TimeZone: time.UTC, BaseURL: "https://news.example.edu.cn"}}
	pub := time.Date(2020, 11, 5, 8, 0, 0, 0, time.UTC)
	a := reader.Article{Card: reader.Card{ID: 3, URL: "/articles/3", Title: "图书馆举办培训班", Summary: "摘要</script>", PublishedAt: pub, UpdatedAt: pub.Add(time.Hour),
		Column: model.Column{Name: "综合新闻"}, Credits: model.Credits{Writers: []string{"李蕊"}, Photographers: []string{"刘孟秋"}, Source: "重庆大学新闻网"},
		Lead: &reader.Image{URL: "/media/1/a.jpg"}},
		Figures: []reader.Image{{URL: "/media/1/a.jpg", Width: 1200, Height: 800, Caption: "图书馆外景"}, {URL: "/media/2/b.jpg", Credit: "曹文玥"}}}
	js := string(v.NewsArticle(a))
	if strings.Contains(js, "</script>") {
		t.Fatalf("JSON-LD can end its script element: %s", js)
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		t.Fatalf("JSON-LD: %v\n%s", err, js)
	}
	checkSchema(t, d, "NewsArticle")
	for _, k := range []string{"headline", "datePublished", "dateModified", "author", "publisher", "image"} {
		if d[k] == nil {
			t.Errorf("NewsArticle lacks %s", k)
		}
	}
	if d["datePublished"] != "2020-11-05T08:00:00Z" || d["dateModified"] != "2020-11-05T09:00:00Z" {
		t.Errorf("dates: %v %v", d["datePublished"], d["dateModified"])
	}
	imgs, _ := d["image"].([]any)
	if len(imgs) != 2 {
		t.Fatalf("images: %v", d["image"])
	}
	if c := imgs[0].(map[string]any)["creditText"]; c != "刘孟秋" {
		t.Errorf("the first photo's creditText is %v, want the story's photographer", c)
	}
	if c := imgs[1].(map[string]any)["creditText"]; c != "曹文玥" {
		t.Errorf("the second photo's creditText is %v, want its own credit", c)
	}
	if u := imgs[0].(map[string]any)["url"]; u != "https://news.example.edu.cn/media/1/a.jpg" {
		t.Errorf("image url %v is not absolute", u)
	}
}

func TestGeneratedFaviconIsAnICOWithAPNG(t *testing.T) {
	ico := IconICO()
	var head struct{ Reserved, Type, Count uint16 }
	binary.Read(bytes.NewReader(ico), binary.LittleEndian, &head)
	if head.Type != 1 || head.Count != 1 {
		t.Fatalf("ICO header %+v", head)
	}
	img, err := png.Decode(bytes.NewReader(ico[22:]))
	if err != nil || img.Bounds().Dx() != 32 {
		t.Fatalf("ICO image: %v %v", err, img)
	}
	if svg := string(IconSVG("东岳大学新闻网")); !strings.Contains(svg, ">东</text>") {
		t.Errorf("SVG icon does not show the name's first character: %s", svg)
	}
}

func TestEveryPageHasAMetaDescription(t *testing.T) {
	cat, _ := i18n.Load()
	v := &View{Lang: i18n.ZH, cat: cat, Site: site.Settings{Name: "东岳大学新闻网"}}
	if got := v.MetaDescription(); !strings.Contains(got, "东岳大学新闻网") {
		t.Errorf("home: %q", got)
	}
	v.Title = "使用帮助"
	if got := v.MetaDescription(); !strings.Contains(got, "使用帮助") || !strings.Contains(got, "东岳大学新闻网") {
		t.Errorf("a page with a title only: %q", got)
	}
	v.Description = "摘要"
	if got := v.MetaDescription(); got != "摘要" {
		t.Errorf("a page with its own: %q", got)
	}
}

// The reader mode comes from ?mode= first, then the cookie; anything else
// is the standard view.
func TestModeFromQueryThenCookie(t *testing.T) {
	for _, tc := range []struct{ url, cookie, want string }{
		{"/", "", ""}, {"/?mode=care", "", ModeCare}, {"/", "care", ModeCare}, {"/?mode=standard", "care", ""}, {"/?mode=x", "", ""}, {"/", "junk", ""},
	} {
		r := httptest.NewRequest("GET", tc.url, nil)
		if tc.cookie != "" {
			r.Header.Set("Cookie", "mode="+tc.cookie)
		}
		if got := Mode(r); got != tc.want {
			t.Errorf("%s with cookie %q: %q, want %q", tc.url, tc.cookie, got, tc.want)
		}
	}
	v := &View{Lang: i18n.EN}
	if v.ContentLang() != ` lang="zh-CN"` {
		t.Errorf("English interface: content lang %q", v.ContentLang())
	}
	if v := (&View{Lang: i18n.ZH}); v.ContentLang() != "" {
		t.Errorf("Chinese interface: content lang %q", v.ContentLang())
	}
}
