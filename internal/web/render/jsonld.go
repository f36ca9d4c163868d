package render

import (
	"encoding/json"
	"html/template"
	"strings"
	"time"

	"newsdesk/internal/reader"
)

// NewsArticle is an article's schema.org NewsArticle, written as JSON-LD
// in the page's head for search engines: the properties their guidelines
// ask of a news article, photos with creditText.
func (v *View) NewsArticle(a reader.Article) template.JS {
	type thing = map[string]any
	publisher := thing{"@type": "NewsMediaOrganization", "name": v.Site.Name, "url": v.Abs("/")}
	if logo := v.LogoURL(); logo != "" {
		publisher["logo"] = thing{"@type": "ImageObject", "url": v.Abs(logo)}
	}
	var authors []thing
	for _, w := range a.Credits.Writers {
		authors = append(authors, thing{"@type": "Person", "name": w})
	}
	if len(authors) == 0 {
		// No writer named: the unit that sent it in, else the site.
		name := a.Credits.Unit
		if name == "" {
			name = v.Site.Name
		}
		authors = append(authors, thing{"@type": "Organization", "name": name})
	}
	var images []thing
	seen := map[string]bool{}
	for _, im := range append([]reader.Image{}, a.Figures...) {
		if seen[im.URL] {
			continue
		}
		seen[im.URL] = true
		o := thing{"@type": "ImageObject", "url": v.Abs(im.URL), "contentUrl": v.Abs(im.URL)}
		if im.Width > 0 {
			o["width"], o["height"] = im.Width, im.Height
		}
		if im.Caption != "" {
			o["caption"] = im.Caption
		}
		if credit := im.Credit; credit != "" {
			o["creditText"] = credit
		} else if len(a.Credits.Photographers) > 0 {
			o["creditText"] = strings.Join(a.Credits.Photographers, " ")
		}
		images = append(images, o)
	}
	if a.Lead != nil && !seen[a.Lead.URL] {
		images = append([]thing{{"@type": "ImageObject", "url": v.Abs(a.Lead.URL), "contentUrl": v.Abs(a.Lead.URL)}}, images...)
	}
	d := thing{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         a.Title,
		"datePublished":    a.PublishedAt.In(v.Site.TimeZone).Format(time.RFC3339),
		"dateModified":     a.UpdatedAt.In(v.Site.TimeZone).Format(time.RFC3339),
		"author":           authors,
		"publisher":        publisher,
		"mainEntityOfPage": v.Abs(a.URL),
		"inLanguage":       "zh-CN",
	}
	if a.Summary != "" {
		d["description"] = a.Summary
	}
	if len(images) > 0 {
		d["image"] = images
	}
	if a.Column.Name != "" {
		d["articleSection"] = a.Column.Name
	}
	if a.Credits.Source != "" {
		d["isBasedOn"] = thing{"@type": "CreativeWork", "publisher": thing{"@type": "Organization", "name": a.Credits.Source}}
	}
	// json.Marshal writes <, > and & as \u003c…, so the text cannot end the
	// script element early.
	b, _ := json.Marshal(d) // maps of strings and numbers always marshal
	return template.JS(b)
}
