package render

import (
	"encoding/json"
	"html/template"
	"strings"
	"time"

	"newsdesk/internal/reader"
)

// The JSON-LD's objects. Their fields are in the order of their names, as
// encoding/json writes a map's keys: the document is what it was when
// these were maps, written without sorting keys or reflecting on them.
type (
	ldThing struct {
		Type string `json:"@type"`
		Name string `json:"name"`
	}
	ldLogo struct {
		Type string `json:"@type"`
		URL  string `json:"url"`
	}
	ldPublisher struct {
		Type string  `json:"@type"`
		Logo *ldLogo `json:"logo,omitempty"`
		Name string  `json:"name"`
		URL  string  `json:"url"`
	}
	ldImage struct {
		Type       string `json:"@type"`
		Caption    string `json:"caption,omitempty"`
		ContentURL string `json:"contentUrl"`
		CreditText string `json:"creditText,omitempty"`
		Height     *int   `json:"height,omitempty"`
		URL        string `json:"url"`
		Width      *int   `json:"width,omitempty"`
	}
	ldSource struct {
		Type      string  `json:"@type"`
		Publisher ldThing `json:"publisher"`
	}
	ldNewsArticle struct {
		Context          string      `json:"@context"`
		Type             string      `json:"@type"`
		ArticleSection   string      `json:"articleSection,omitempty"`
		Author           []ldThing   `json:"author"`
		DateModified     string      `json:"dateModified"`
		DatePublished    string      `json:"datePublished"`
		Description      string      `json:"description,omitempty"`
		Headline         string      `json:"headline"`
		Image            []ldImage   `json:"image,omitempty"`
		InLanguage       string      `json:"inLanguage"`
		IsBasedOn        *ldSource   `json:"isBasedOn,omitempty"`
		MainEntityOfPage string      `json:"mainEntityOfPage"`
		Publisher        ldPublisher `json:"publisher"`
	}
)

// NewsArticle is an article's schema.org NewsArticle, written as JSON-LD
// in the page's head for search engines: the properties their guidelines
// ask of a news article, photos with creditText.
func (v *View) NewsArticle(a reader.Article) template.JS {
	d := ldNewsArticle{
		Context:          "https://schema.org",
		Type:             "NewsArticle",
		ArticleSection:   a.Column.Name,
		DateModified:     a.UpdatedAt.In(v.Site.TimeZone).Format(time.RFC3339),
		DatePublished:    a.PublishedAt.In(v.Site.TimeZone).Format(time.RFC3339),
		Description:      a.Summary,
		Headline:         a.Title,
		InLanguage:       "zh-CN",
		MainEntityOfPage: v.Abs(a.URL),
		Publisher:        ldPublisher{Type: "NewsMediaOrganization", Name: v.Site.Name, URL: v.Abs("/")},
	}
	if logo := v.LogoURL(); logo != "" {
		d.Publisher.Logo = &ldLogo{Type: "ImageObject", URL: v.Abs(logo)}
	}
	for _, w := range a.Credits.Writers {
		d.Author = append(d.Author, ldThing{Type: "Person", Name: w})
	}
	if len(d.Author) == 0 {
		// No writer named: the unit that sent it in, else the site.
		name := a.Credits.Unit
		if name == "" {
			name = v.Site.Name
		}
		d.Author = append(d.Author, ldThing{Type: "Organization", Name: name})
	}
	seen := map[string]bool{}
	for _, im := range a.Figures {
		if seen[im.URL] {
			continue
		}
		seen[im.URL] = true
		o := ldImage{Type: "ImageObject", URL: v.Abs(im.URL), ContentURL: v.Abs(im.URL), Caption: im.Caption, CreditText: im.Credit}
		if im.Width > 0 {
			o.Width, o.Height = &im.Width, &im.Height
		}
		if o.CreditText == "" && len(a.Credits.Photographers) > 0 {
			o.CreditText = strings.Join(a.Credits.Photographers, " ")
		}
		d.Image = append(d.Image, o)
	}
	if a.Lead != nil && !seen[a.Lead.URL] {
		d.Image = append([]ldImage{{Type: "ImageObject", URL: v.Abs(a.Lead.URL), ContentURL: v.Abs(a.Lead.URL)}}, d.Image...)
	}
	if a.Credits.Source != "" {
		d.IsBasedOn = &ldSource{Type: "CreativeWork", Publisher: ldThing{Type: "Organization", Name: a.Credits.Source}}
	}
	// json.Marshal writes <, > and & as \u003c…, so the text cannot end the
	// script element early.
	b, _ := json.Marshal(d) // strings and numbers always marshal
	return template.JS(b)
}
