// Package site holds the site-wide settings and the editor-maintained pages
// (使用帮助, 投稿须知 …).
package site

import (
	"context"
	"fmt"
	"strings"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/store"
)

// Well-known page slugs.
const (
	PageHelp  = "help"  // 使用帮助
	PageGuide = "guide" // 投稿须知
)

// Settings are the site-wide settings.
type Settings struct {
	Name     string // 东岳大学新闻网
	Footer   string
	TimeZone *time.Location
	Language string // default interface language, zh-CN or en
	// BaseURL is the public address used in feeds, sitemaps and canonical links.
	BaseURL string
}

// Defaults apply to every setting not stored.
var Defaults = map[string]string{
	"site.name":     "东岳大学新闻网",
	"site.footer":   "东岳大学党委宣传部 新闻中心 主办",
	"site.timezone": "Asia/Shanghai",
	"site.language": "zh-CN",
	"site.base_url": "http://127.0.0.1:8080",
}

// Service reads and changes settings and pages.
type Service struct {
	Store   store.Store
	Changed func()
	// BaseURL, when set, replaces the default public address (from --base-url).
	BaseURL string
}

// Settings returns the stored settings over the defaults.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	kv, err := s.Store.Settings(ctx)
	if err != nil {
		return Settings{}, err
	}
	get := func(k string) string {
		if v, ok := kv[k]; ok && v != "" {
			return v
		}
		if k == "site.base_url" && s.BaseURL != "" {
			return s.BaseURL
		}
		return Defaults[k]
	}
	loc, err := time.LoadLocation(get("site.timezone"))
	if err != nil {
		return Settings{}, fmt.Errorf("site time zone %q: %w", get("site.timezone"), err)
	}
	return Settings{
		Name:     get("site.name"),
		Footer:   get("site.footer"),
		TimeZone: loc,
		Language: get("site.language"),
		BaseURL:  strings.TrimRight(get("site.base_url"), "/"),
	}, nil
}

// Set stores settings after checking them all: one bad value stores none.
func (s *Service) Set(ctx context.Context, values map[string]string) error {
	clean := map[string]string{}
	for key, value := range values {
		if _, ok := Defaults[key]; !ok {
			return store.Invalid("setting", key)
		}
		value = strings.TrimSpace(value)
		switch key {
		case "site.timezone":
			if _, err := time.LoadLocation(value); err != nil || value == "" {
				return store.Invalid("timezone", value)
			}
		case "site.name":
			if value == "" {
				return store.Invalid("site_name")
			}
		}
		clean[key] = value
	}
	for key, value := range clean {
		if err := s.Store.SetSetting(ctx, key, value); err != nil {
			return err
		}
	}
	s.changed()
	return nil
}

// SavePage sanitises and stores a page.
func (s *Service) SavePage(ctx context.Context, p *store.Page) error {
	p.Title = strings.TrimSpace(p.Title)
	if p.Title == "" || p.Slug == "" {
		return store.Invalid("page")
	}
	p.Body = article.Sanitize(p.Body)
	if err := s.Store.SavePage(ctx, p); err != nil {
		return err
	}
	s.changed()
	return nil
}

func (s *Service) changed() {
	if s.Changed != nil {
		s.Changed()
	}
}
